package org.disklens.convert;

/** The conversions the GUI offers by name; each is an ordinary {@link TargetSpec}. */
public enum Preset {
    /** qcow2 v3 with zlib-compressed clusters: smallest file qemu and libvirt open everywhere. */
    QCOW2_COMPRESSED("qcow2, compressed", "qcow2", "Smallest file; QEMU, KVM, libvirt and Proxmox open it as it is.",
            TargetSpec.of("qcow2").withCompress(true)),
    /** The plain disk, with holes for zero runs: for dd, loop devices, other hypervisors' importers. */
    RAW_SPARSE("raw, sparse", "img", "The plain disk, byte for byte, with holes where it is empty: for dd, loop "
            + "devices and any hypervisor.", TargetSpec.of("raw")),
    /**
     * streamOptimized VMDK with an LSI Logic adapter: what ESXi, vCenter and OVF/OVA imports expect (see
     * {@code VmdkDescriptor} for the descriptor keys).
     */
    VMDK_ESXI("VMDK for VMware ESXi (streamOptimized)", "vmdk", "Compressed, laid out as VMware specifies: for "
            + "ESXi, vCenter and OVF/OVA import.", TargetSpec.of("vmdk")
            .withOption("subformat", "streamOptimized").withOption("adapter_type", "lsilogic")),
    /** A growable single-file VMDK, as Workstation, Player and Fusion create them, on an LSI Logic adapter. */
    VMDK_WORKSTATION("VMDK for Workstation (monolithicSparse)", "vmdk", "One growable file for VMware "
            + "Workstation, Player and Fusion.", TargetSpec.of("vmdk")
            .withOption("subformat", "monolithicSparse").withOption("adapter_type", "lsilogic")),
    /**
     * What Azure accepts for an uploaded disk: a fixed VHD whose size is a whole number of MiB, stated exactly in
     * the footer ({@code force_size}: no CHS rounding, which would make the size odd again).
     */
    AZURE("Azure (fixed VHD, size rounded up to a whole MiB)", "vhd", "A fixed VHD whose size is a whole number "
            + "of MiB, as Azure requires for an uploaded disk.", TargetSpec.of("vpc")
            .withOption("subformat", "fixed").withOption("force_size", "on").withSizeRoundedUpTo(1 << 20)),
    /** A dynamic VHDX, as Hyper-V creates it. */
    HYPER_V("Hyper-V (VHDX)", "vhdx", "A growable VHDX for Hyper-V and Windows' own disk tools.",
            TargetSpec.of("vhdx")),
    /** A dynamic VDI, as VirtualBox creates it. */
    VIRTUALBOX("VirtualBox (VDI)", "vdi", "A growable VDI for VirtualBox.", TargetSpec.of("vdi"));

    private final String label;
    private final String extension;
    private final String description;
    private final TargetSpec target;

    Preset(String label, String extension, String description, TargetSpec target) {
        this.label = label;
        this.extension = extension;
        this.description = description;
        this.target = target;
    }

    /** One sentence on what the result is for. */
    public String description() {
        return description;
    }

    /** The name the GUI shows. */
    public String label() {
        return label;
    }

    /** The usual file extension of the result, without the dot. */
    public String extension() {
        return extension;
    }

    public TargetSpec target() {
        return target;
    }

    /** A request converting {@code source} to {@code targetPath} with this preset. */
    public ConversionRequest request(SourceSpec source, java.nio.file.Path targetPath, boolean force) {
        return new ConversionRequest(source, target, targetPath, force);
    }

    @Override
    public String toString() {
        return label;
    }
}
