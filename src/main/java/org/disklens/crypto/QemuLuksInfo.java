package org.disklens.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;

/**
 * A LUKS1 header as qemu-img describes it in {@code info} ({@code format-specific.data.encrypt} of a qcow2 with
 * {@code encrypt.format=luks}, {@code format-specific.data} of a {@code luks} image): cipher, modes, key slots, offsets in
 * bytes. Read leniently, for showing; unlocking reads the header with {@link Luks1Header}.
 */
public record QemuLuksInfo(String cipherName, String cipherMode, String hashSpec, long payloadOffsetSectors, int keyBytes,
                  long masterKeyIterations, String uuid, List<KeySlot> slots) {

    public static final int SIZE = 592;
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    private static final int SLOT_ACTIVE = 0x00AC71F3;

    public record KeySlot(boolean active, long iterations, long keyMaterialSector, long stripes) {
    }

    /** The header in {@code bytes} (592, big-endian), found at {@code hostOffset} of a {@code format} image. */
    public static QemuLuksInfo parse(ByteBuffer bytes, String format, long hostOffset) throws ImageException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.get(i) != MAGIC[i]) {
                throw new CorruptImage(format, "LUKS header", hostOffset, "no LUKS magic");
            }
        }
        int version = Short.toUnsignedInt(bytes.getShort(6));
        if (version != 1) {
            throw new CorruptImage(format, "LUKS header", hostOffset, "unsupported LUKS version %d".formatted(version));
        }
        List<KeySlot> slots = new ArrayList<>();
        for (int slot = 0; slot < 8; slot++) {
            int at = 208 + slot * 48;
            slots.add(new KeySlot(bytes.getInt(at) == SLOT_ACTIVE, Integer.toUnsignedLong(bytes.getInt(at + 4)),
                    Integer.toUnsignedLong(bytes.getInt(at + 40)), Integer.toUnsignedLong(bytes.getInt(at + 44))));
        }
        return new QemuLuksInfo(text(bytes, 8, 32), text(bytes, 40, 32), text(bytes, 72, 32),
                Integer.toUnsignedLong(bytes.getInt(104)), bytes.getInt(108),
                Integer.toUnsignedLong(bytes.getInt(164)), text(bytes, 168, 40), List.copyOf(slots));
    }

    private static String text(ByteBuffer bytes, int offset, int length) {
        int end = 0;
        while (end < length && bytes.get(offset + end) != 0) {
            end++;
        }
        byte[] text = new byte[end];
        bytes.get(offset, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** As qemu-img shows it for LUKS ({@code format} first, when {@code withFormat}): cipher, modes, key slots. */
    public Map<String, Object> describe(boolean withFormat) {
        String[] mode = cipherMode.split("-", 2);
        String ivgen = mode.length > 1 ? mode[1] : "plain64";
        String[] ivgenParts = ivgen.split(":", 2);
        Map<String, Object> info = new LinkedHashMap<>();
        if (withFormat) {
            info.put("format", "luks");
        }
        info.put("cipher-alg", cipherAlgorithm(mode[0]));
        info.put("cipher-mode", mode[0]);
        info.put("ivgen-alg", ivgenParts[0]);
        if (ivgenParts.length > 1) {
            info.put("ivgen-hash-alg", ivgenParts[1]);
        }
        info.put("hash-alg", hashSpec);
        info.put("payload-offset", payloadOffsetSectors * 512);
        info.put("master-key-iters", masterKeyIterations);
        info.put("uuid", uuid);
        List<Map<String, Object>> slotInfo = new ArrayList<>();
        for (KeySlot slot : slots) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("active", slot.active());
            if (slot.active()) {
                one.put("iters", slot.iterations());
                one.put("stripes", slot.stripes());
            }
            one.put("key-offset", slot.keyMaterialSector() * 512);
            slotInfo.add(one);
        }
        info.put("slots", slotInfo);
        return info;
    }

    /** {@code aes-256} and the like: XTS keys hold two cipher keys, so the cipher's own width is half. */
    private String cipherAlgorithm(String mode) {
        int bits = keyBytes * 8 / ("xts".equals(mode) ? 2 : 1);
        return cipherName.equals("cast5") ? "cast5-128" : cipherName + "-" + bits;
    }
}
