package org.disklens.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the application icon — a disk platter seen through a lens — as vectors at every size, so the
 * small sizes stay crisp (details that would blur below 32 px are left out), and writes the PNGs, a
 * Windows {@code .ico} and a macOS {@code .icns} into {@code resources/icons}. Run:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.disklens.tools.IconRenderer}
 * or from an IDE; the output is committed.
 */
public final class IconRenderer {
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512};
    private static final Color BACKGROUND_TOP = new Color(0x1f4e8c);
    private static final Color BACKGROUND_BOTTOM = new Color(0x0f2a4d);
    private static final Color PLATTER = new Color(0xdbe7f5);
    private static final Color TRACK = new Color(0x8fb3dc);
    private static final Color USED = new Color(0x2f9e6e);
    private static final Color LENS_RIM = new Color(0xf2b134);

    private IconRenderer() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "resources/icons");
        Files.createDirectories(out);
        List<byte[]> pngs = new ArrayList<>();
        for (int size : SIZES) {
            byte[] png = png(render(size));
            pngs.add(png);
            Files.write(out.resolve("disklens-%d.png".formatted(size)), png);
        }
        Files.write(out.resolve("disklens.ico"), ico(pngs.subList(0, 7)));
        Files.write(out.resolve("disklens.icns"), icns(pngs));
    }

    static BufferedImage render(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 256.0, size / 256.0);
        boolean detailed = size >= 32;
        g.setPaint(new GradientPaint(0, 0, BACKGROUND_TOP, 0, 256, BACKGROUND_BOTTOM));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));
        // The platter, with a sector of "used" data: the thin-provisioning story in one glance.
        g.setColor(PLATTER);
        g.fill(new Ellipse2D.Double(28, 28, 164, 164));
        g.setColor(USED);
        g.fillArc(28, 28, 164, 164, 90, 100);
        g.setColor(PLATTER);
        g.fill(new Ellipse2D.Double(62, 62, 96, 96));
        if (detailed) {
            g.setColor(TRACK);
            g.setStroke(new BasicStroke(4));
            g.draw(new Ellipse2D.Double(78, 78, 64, 64));
        }
        g.setColor(BACKGROUND_BOTTOM);
        g.fill(new Ellipse2D.Double(98, 98, 24, 24));
        // The lens over the lower right.
        g.setColor(new Color(255, 255, 255, detailed ? 70 : 0));
        g.fill(new Ellipse2D.Double(128, 128, 84, 84));
        g.setColor(LENS_RIM);
        g.setStroke(new BasicStroke(detailed ? 14 : 22, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Ellipse2D.Double(128, 128, 84, 84));
        g.setStroke(new BasicStroke(detailed ? 22 : 28, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(202, 202, 232, 232));
        g.dispose();
        return image;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** A Windows icon holding PNG images (allowed since Vista), one directory entry per size. */
    static byte[] ico(List<byte[]> pngs) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(6 + 16 * pngs.size()).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) 0).putShort((short) 1).putShort((short) pngs.size());
        int offset = header.capacity();
        for (int i = 0; i < pngs.size(); i++) {
            int size = SIZES[i];
            header.put((byte) (size >= 256 ? 0 : size)).put((byte) (size >= 256 ? 0 : size))
                    .put((byte) 0).put((byte) 0).putShort((short) 1).putShort((short) 32)
                    .putInt(pngs.get(i).length).putInt(offset);
            offset += pngs.get(i).length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array());
        for (byte[] png : pngs) {
            out.write(png);
        }
        return out.toByteArray();
    }

    /** A macOS icon family with PNG entries: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512. */
    static byte[] icns(List<byte[]> pngs) throws IOException {
        String[] types = {"icp4", null, "icp5", null, "icp6", "ic07", "ic08", "ic09"};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < SIZES.length; i++) {
            if (types[i] == null) {
                continue;
            }
            body.write(types[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.write(ByteBuffer.allocate(4).putInt(pngs.get(i).length + 8).array());
            body.write(pngs.get(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("icns".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(ByteBuffer.allocate(4).putInt(body.size() + 8).array());
        out.write(body.toByteArray());
        return out.toByteArray();
    }
}
