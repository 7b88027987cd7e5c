package org.disklens.content.partition;

import java.util.Locale;
import java.util.Map;

/** Names of the common MBR type bytes and GPT type GUIDs. */
final class PartitionTypes {
    private static final Map<Integer, String> MBR = Map.ofEntries(
            Map.entry(0x01, "FAT12"), Map.entry(0x04, "FAT16 <32M"), Map.entry(0x05, "Extended"),
            Map.entry(0x06, "FAT16"), Map.entry(0x07, "HPFS/NTFS/exFAT"), Map.entry(0x0b, "W95 FAT32"),
            Map.entry(0x0c, "W95 FAT32 (LBA)"), Map.entry(0x0e, "W95 FAT16 (LBA)"), Map.entry(0x0f, "W95 Extended (LBA)"),
            Map.entry(0x17, "Hidden HPFS/NTFS"), Map.entry(0x27, "Hidden NTFS WinRE"), Map.entry(0x82, "Linux swap"),
            Map.entry(0x83, "Linux"), Map.entry(0x85, "Linux extended"), Map.entry(0x8e, "Linux LVM"),
            Map.entry(0xa5, "FreeBSD"), Map.entry(0xa8, "Darwin UFS"), Map.entry(0xaf, "HFS / HFS+"),
            Map.entry(0xee, "GPT protective"), Map.entry(0xef, "EFI (FAT-12/16/32)"), Map.entry(0xfd, "Linux raid autodetect"),
            Map.entry(0x00, "Empty"));

    private static final Map<String, String> GPT = Map.ofEntries(
            Map.entry("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System"),
            Map.entry("21686148-6449-6E6F-744E-656564454649", "BIOS boot"),
            Map.entry("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"),
            Map.entry("E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"),
            Map.entry("DE94BBA4-06D1-4D40-A16A-BFD50179D6AC", "Windows recovery environment"),
            Map.entry("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"),
            Map.entry("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"),
            Map.entry("E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"),
            Map.entry("A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"),
            Map.entry("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)"),
            Map.entry("933AC7E1-2EB4-4F13-B844-0E14E2AEF915", "Linux home"),
            Map.entry("BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot"),
            Map.entry("CA7D7CCB-63ED-4C53-861C-1742536059CC", "Linux LUKS"),
            Map.entry("48465300-0000-11AA-AA11-00306543ECAC", "Apple HFS/HFS+"),
            Map.entry("7C3457EF-0000-11AA-AA11-00306543ECAC", "Apple APFS"),
            Map.entry("516E7CB4-6ECF-11D6-8FF8-00022D09712B", "FreeBSD data"));

    private PartitionTypes() {
    }

    static String mbr(int type) {
        return MBR.getOrDefault(type, "unknown");
    }

    static String gpt(String guid) {
        return GPT.getOrDefault(guid.toUpperCase(Locale.ROOT), "unknown");
    }
}
