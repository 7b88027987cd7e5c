package org.disklens.cli;

import java.io.PrintWriter;

/** {@code -o help}: the creation options DiskLens accepts for each format, in qemu-img's layout. */
final class OptionsHelp {
    private OptionsHelp() {
    }

    static void print(PrintWriter out, String format) {
        out.println("Supported options:");
        switch (format) {
            case "qcow2" -> {
                row(out, "backing_file=<str>", "File name of a base image (same as -B)");
                row(out, "backing_fmt=<str>", "Image format of the base image (same as -F)");
                row(out, "cluster_size=<size>", "qcow2 cluster size (512 to 2M, default 64k)");
                row(out, "compat=<str>", "Compatibility level (v2 [0.10] or v3 [1.1], default 1.1)");
                row(out, "compression_type=<str>", "Compression method for -c: zlib (default) or zstd");
                row(out, "extended_l2=<bool (on/off)>", "Extended L2 tables (subclusters)");
                row(out, "lazy_refcounts=<bool (on/off)>", "Postpone refcount updates");
                row(out, "preallocation=<str>", "Preallocation mode (allowed values: off, metadata, falloc, full)");
                row(out, "refcount_bits=<num>", "Width of a reference count entry in bits (1 to 64, default 16)");
            }
            case "vmdk" -> {
                row(out, "adapter_type=<str>", "Virtual adapter type: ide (default), lsilogic, buslogic or legacyESX");
                row(out, "compat6=<bool (on/off)>", "VMDK version 6 image (virtual hardware version 6)");
                row(out, "hwversion=<num>", "VMDK virtual hardware version (default 4)");
                row(out, "preallocation=<str>", "Flat subformats only (allowed values: off, falloc, full)");
                row(out, "subformat=<str>", "monolithicSparse (default), monolithicFlat, twoGbMaxExtentSparse, "
                        + "twoGbMaxExtentFlat or streamOptimized");
                row(out, "toolsversion=<num>", "VMware guest tools version (default 2147483647)");
                row(out, "zeroed_grain=<bool (on/off)>", "Sparse subformats: mark zero grains with the zeroed-grain GTE");
            }
            case "raw" -> row(out, "preallocation=<str>", "Preallocation mode (allowed values: off, falloc, full)");
            default -> out.println("  (none: '%s' cannot be written; formats: raw, qcow2, vmdk)".formatted(format));
        }
        out.flush();
    }

    private static void row(PrintWriter out, String option, String description) {
        out.printf("  %-22s - %s%n", option, description);
    }
}
