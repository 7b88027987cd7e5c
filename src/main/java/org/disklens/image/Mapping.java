package org.disklens.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * What a run of guest bytes is, as one layer of an image sees it. Drivers answer mappings, not bytes:
 * the generic reader, {@code map}, the allocation chart, the converter and {@code compare} all consume
 * this one stream.
 */
public sealed interface Mapping {
    /** Marks a zero run with no host location. */
    long NO_HOST_OFFSET = -1;

    /** Guest bytes this mapping covers, always at least 1. */
    long length();

    /**
     * The mapping of a disk that is a plain file (raw, ISO): data where the file stores bytes, zero at the host
     * offset of a hole ({@code SEEK_HOLE}), as qemu-img reports it.
     */
    static Mapping ofPlainFile(BlockSource source, long guestOffset, long maxLength) throws IOException {
        HostExtent extent = source.extentAt(guestOffset);
        long length = Math.min(maxLength, Math.max(1, extent.length()));
        return extent.data() ? new Data(source, guestOffset, length) : new Zero(length, guestOffset);
    }

    /** Stored as-is in {@code source} at {@code hostOffset}. */
    record Data(BlockSource source, long hostOffset, long length) implements Mapping {
    }

    /** Reads as zeroes, decided by this layer (a zero cluster, a hole in a raw file). */
    record Zero(long length, long hostOffset) implements Mapping {
        public Zero(long length) {
            this(length, NO_HOST_OFFSET);
        }

        public boolean hasHostOffset() {
            return hostOffset != NO_HOST_OFFSET;
        }
    }

    /**
     * Not in this layer: read the backing layer (or zeroes where there is none). A host location may be
     * reserved for it already (a qcow2 subcluster of an allocated cluster); {@code map} shows it.
     */
    record Unallocated(long length, long hostOffset) implements Mapping {
        public Unallocated(long length) {
            this(length, NO_HOST_OFFSET);
        }

        public boolean hasHostOffset() {
            return hostOffset != NO_HOST_OFFSET;
        }
    }

    /**
     * Part of a compressed unit (a qcow2 cluster, a VMDK grain): the guest bytes are
     * {@code [offsetInUnit, offsetInUnit + length)} of the decoded unit.
     */
    record Compressed(long length, long hostOffset, int offsetInUnit, CompressedUnit unit) implements Mapping {
    }

    /**
     * Stored encrypted from {@code hostOffset}; {@code plaintext} reads the decrypted guest bytes from the run's start
     * (its driver unlocks the key, or says in one line why it cannot: no passphrase, a wrong one).
     */
    record Encrypted(long length, long hostOffset, Plaintext plaintext) implements Mapping {
        /** A run nothing here can decrypt. */
        public Encrypted(long length, long hostOffset) {
            this(length, hostOffset, dst -> {
                throw new UnsupportedFeature("encrypted data at 0x%x cannot be read".formatted(hostOffset));
            });
        }
    }

    /** The decrypted bytes of one {@link Encrypted} run. */
    @FunctionalInterface
    interface Plaintext {
        /** Fills {@code dst} with the run's guest bytes from its start ({@code dst} holds at most the run's length). */
        void read(ByteBuffer dst) throws IOException;
    }

    /**
     * One compressed unit of an image, decoded on demand by its driver. Units that denote the same stored
     * bytes are {@code equals} (drivers use records), so readers can cache a decoded unit.
     */
    interface CompressedUnit {
        /** Where the unit's compressed bytes start in its file. */
        long hostOffset();

        /** Decoded size in bytes. */
        int decodedSize();

        /** Decodes the whole unit into {@code dst}, which has at least {@link #decodedSize()} bytes left. */
        void decodeInto(ByteBuffer dst) throws IOException;
    }
}
