package org.disklens.content.ntfs;

/**
 * An MFT reference: the record number in its low 48 bits, the record's sequence number in the high 16 (not checked:
 * Windows leaves directory entries with outdated sequence numbers, which it still follows).
 */
final class FileReference {
    static final long NUMBER_MASK = (1L << 48) - 1;

    private FileReference() {
    }

    static long number(long reference) {
        return reference & NUMBER_MASK;
    }
}
