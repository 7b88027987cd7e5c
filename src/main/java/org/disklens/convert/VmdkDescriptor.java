package org.disklens.convert;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The text descriptor of a new VMDK (VMware Virtual Disk Format 1.1/5.0, "The Descriptor File"). The same keys for
 * every subformat; each is there because a VMware product reads it:
 * <ul>
 *   <li>{@code version=1}, {@code encoding="UTF-8"}, {@code CID} (random, never ffffffff/fffffffe, which mean "no
 *       parent" and "use the long content id"), {@code parentCID=ffffffff} (a base disk), {@code createType}.</li>
 *   <li>One extent line per extent: {@code RW <sectors> SPARSE "<file>"} or {@code RW <sectors> FLAT "<file>" 0}.</li>
 *   <li>{@code ddb.adapterType} ({@code adapter_type}): the controller ESXi attaches the disk to on import.</li>
 *   <li>{@code ddb.geometry.cylinders/heads/sectors}: CHS for BIOSes; 16 heads for IDE (at most 16383 cylinders),
 *       255 heads for SCSI (at most 65535), 63 sectors, cylinders rounded up as VMware's open-vmdk does.</li>
 *   <li>{@code ddb.longContentID}: 128-bit content id (32 hex digits, ending in the CID) that ESXi and vSphere
 *       write into every disk they export and use to tell disk contents apart.</li>
 *   <li>{@code ddb.thinProvisioned = "1"} for sparse subformats: ESXi then imports the disk thin instead of
 *       inflating it to its full size.</li>
 *   <li>{@code ddb.toolsVersion} ({@code toolsversion}, default 2147483647 = "any", as qemu and open-vmdk write).</li>
 *   <li>{@code ddb.uuid}: the disk's UUID, 16 random bytes written as VMware writes them
 *       ({@code "60 00 C2 9b ... 6b-3e 4b ..."}); vCenter keys disks by it.</li>
 *   <li>{@code ddb.virtualHWVersion} ({@code hwversion}/{@code compat6}, default 4): the oldest virtual hardware
 *       that may open the disk; 4 is accepted everywhere (open-vmdk writes 4 too).</li>
 * </ul>
 * {@code ddb.toolsInstallType} is left out: it claims how VMware Tools were installed in the guest, which a disk
 * converter cannot know.
 */
final class VmdkDescriptor {
    /** Sectors reserved for an embedded descriptor, as qemu and VMware reserve them. */
    static final int EMBEDDED_SECTORS = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VmdkDescriptor() {
    }

    static String text(VmdkLayout layout, long capacitySectors) {
        VmdkConfig config = layout.config();
        int cid = contentId();
        StringBuilder text = new StringBuilder();
        text.append("# Disk DescriptorFile\n");
        text.append("version=1\n");
        text.append("encoding=\"UTF-8\"\n");
        text.append("CID=%08x\n".formatted(cid));
        text.append("parentCID=ffffffff\n");
        text.append("createType=\"%s\"\n".formatted(config.subformat().createType()));
        text.append("\n# Extent description\n");
        for (VmdkLayout.Extent extent : layout.extents()) {
            if (config.subformat().sparse()) {
                text.append("RW %d SPARSE \"%s\"\n".formatted(extent.sectors(), extent.fileName()));
            } else {
                text.append("RW %d FLAT \"%s\" 0\n".formatted(extent.sectors(), extent.fileName()));
            }
        }
        boolean ide = config.adapterType().equals("ide");
        int heads = ide ? 16 : 255;
        long cylinders = Math.min(ide ? 16383 : 65535, Math.ceilDiv(capacitySectors, heads * 63L));
        byte[] random = new byte[28];
        RANDOM.nextBytes(random);
        String longContentId = HexFormat.of().formatHex(random, 0, 12) + "%08x".formatted(cid);
        text.append("\n# The Disk Data Base\n#DDB\n\n");
        text.append("ddb.adapterType = \"%s\"\n".formatted(config.adapterType()));
        text.append("ddb.geometry.cylinders = \"%d\"\n".formatted(cylinders));
        text.append("ddb.geometry.heads = \"%d\"\n".formatted(heads));
        text.append("ddb.geometry.sectors = \"63\"\n");
        text.append("ddb.longContentID = \"%s\"\n".formatted(longContentId));
        if (config.subformat().sparse()) {
            text.append("ddb.thinProvisioned = \"1\"\n");
        }
        text.append("ddb.toolsVersion = \"%s\"\n".formatted(config.toolsVersion()));
        text.append("ddb.uuid = \"%s\"\n".formatted(uuid(random, 12)));
        text.append("ddb.virtualHWVersion = \"%d\"\n".formatted(config.hwVersion()));
        return text.toString();
    }

    static byte[] bytes(VmdkLayout layout, long capacitySectors) {
        return text(layout, capacitySectors).getBytes(StandardCharsets.UTF_8);
    }

    private static int contentId() {
        int cid;
        do {
            cid = RANDOM.nextInt();
        } while (cid == 0xffffffff || cid == 0xfffffffe);
        return cid;
    }

    /** {@code "60 00 C2 9b 6a d6 ea 6b-3e 4b 8c 72 a1 0c 4f 6d"}: VMware's spelling of a disk UUID. */
    private static String uuid(byte[] random, int from) {
        StringBuilder uuid = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0) {
                uuid.append(i == 8 ? '-' : ' ');
            }
            uuid.append("%02x".formatted(random[from + i] & 0xff));
        }
        return uuid.toString();
    }
}
