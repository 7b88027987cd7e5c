package org.disklens.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.image.ImageChain;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;

/**
 * Where a guest file lives: its bytes followed from the file system's mappings to the guest disk (through the
 * volume's placement) and on to how the image stores each guest run (the allocation map: this image or a backing
 * layer, compressed, zero, at which host offset). The bridge between "what is inside" and "how it is stored".
 *
 * @param pieces the first {@link #MAX_PIECES} runs of the file, in file order
 * @param more   whether the file has more runs than those
 */
public record FileLocation(FileEntry file, List<Piece> pieces, boolean more, Totals totals) {
    /** Runs kept for drawing and listing; the totals count them all. */
    public static final int MAX_PIECES = 4096;

    /** Where one run of the file is. */
    public sealed interface Piece {
        long fileOffset();

        long length();
    }

    /** A run stored on the guest disk at {@code guestOffset}, as {@code storage} says the image keeps it. */
    public record OnDisk(long fileOffset, long guestOffset, long length, MapEntry storage) implements Piece {
    }

    /** A hole or unwritten run of the file: it reads as zeroes and takes no space on the guest disk. */
    public record Hole(long fileOffset, long length) implements Piece {
    }

    /** Bytes kept inside the file system's own metadata (inline data, a resident attribute). */
    public record Inline(long fileOffset, long length) implements Piece {
    }

    /** A unit the file system compressed, starting at {@code guestOffset}. */
    public record Compressed(long fileOffset, long guestOffset, long length) implements Piece {
    }

    /** How many bytes of the file are where: by the layer that stores them (index = depth), and the rest. */
    public record Totals(long[] dataByLayer, long compressedByImage, long zeroByImage, long unallocated,
                         long compressedByFileSystem, long holes, long inline) {
    }

    /** Follows {@code file} of {@code fileSystem} in {@code volume} down to the storage of {@code chain}. */
    public static FileLocation of(ImageChain chain, Volume volume, FileSystem fileSystem, FileEntry file,
                                  ProgressListener progress) throws IOException {
        Walk walk = new Walk(chain);
        long at = 0;
        while (at < file.size()) {
            progress.checkCancelled();
            Mapping mapping = fileSystem.map(file, at, file.size() - at);
            long length = Math.min(mapping.length(), file.size() - at);
            switch (mapping) {
                case Mapping.Data data when data.source() == fileSystem.volume() ->
                        walk.onDisk(volume.placement(), at, data.hostOffset(), length);
                case Mapping.Data inline -> walk.add(new Inline(at, length));
                case Mapping.Compressed compressed -> walk.add(new Compressed(at,
                        volume.placement().at(compressed.hostOffset(), 1).guestOffset(), length));
                default -> walk.add(new Hole(at, length));
            }
            at += length;
            progress.progress(at, file.size());
        }
        return new FileLocation(file, List.copyOf(walk.pieces), walk.more, walk.totals());
    }

    /** The file's guest runs, for drawing over the allocation map (pieces on the disk only). */
    public List<long[]> guestRuns() {
        List<long[]> runs = new ArrayList<>();
        for (Piece piece : pieces) {
            switch (piece) {
                case OnDisk disk -> runs.add(new long[] {disk.guestOffset(), disk.length()});
                case Compressed compressed -> runs.add(new long[] {compressed.guestOffset(), 1});
                default -> {
                }
            }
        }
        return runs;
    }

    /** Gathers pieces and totals as the file is followed. */
    private static final class Walk {
        private final ImageChain chain;
        private final AllocationMap map;
        private final List<Piece> pieces = new ArrayList<>();
        private boolean more;
        private final long[] dataByLayer;
        private long compressedByImage;
        private long zeroByImage;
        private long unallocated;
        private long compressedByFileSystem;
        private long holes;
        private long inline;

        Walk(ImageChain chain) {
            this.chain = chain;
            this.map = new AllocationMap(chain);
            this.dataByLayer = new long[chain.size()];
        }

        /** A run on the volume: through its placement to guest runs, each through the image's map. */
        void onDisk(Placement placement, long fileOffset, long volumeOffset, long length) throws IOException {
            long done = 0;
            while (done < length) {
                Placement.GuestRun run = placement.at(volumeOffset + done, length - done);
                long guestDone = 0;
                while (guestDone < run.length()) {
                    long guestOffset = run.guestOffset() + guestDone;
                    MapEntry entry = map.entryAt(guestOffset, Math.min(run.length() - guestDone,
                            chain.virtualSize() - guestOffset));
                    add(new OnDisk(fileOffset + done + guestDone, guestOffset, entry.length(), entry));
                    guestDone += entry.length();
                }
                done += run.length();
            }
        }

        void add(Piece piece) {
            count(piece);
            Piece last = pieces.isEmpty() ? null : pieces.getLast();
            if (last instanceof OnDisk previous && piece instanceof OnDisk next && continues(previous, next)) {
                pieces.set(pieces.size() - 1, new OnDisk(previous.fileOffset(), previous.guestOffset(),
                        previous.length() + next.length(), previous.storage()));
            } else if (last instanceof Hole previous && piece instanceof Hole next) {
                pieces.set(pieces.size() - 1, new Hole(previous.fileOffset(), previous.length() + next.length()));
            } else if (pieces.size() < MAX_PIECES) {
                pieces.add(piece);
            } else {
                more = true;
            }
        }

        /** Neighbours in the file and on the disk, stored alike and (where they have one) at consecutive host offsets. */
        private static boolean continues(OnDisk previous, OnDisk next) {
            MapEntry a = previous.storage();
            MapEntry b = next.storage();
            boolean adjacent = previous.guestOffset() + previous.length() == next.guestOffset();
            boolean alike = a.depth() == b.depth() && a.zero() == b.zero() && a.data() == b.data()
                    && a.compressed() == b.compressed() && a.hasOffset() == b.hasOffset();
            return adjacent && alike && (!a.hasOffset() || a.offset() + previous.length() == b.offset());
        }

        private void count(Piece piece) {
            switch (piece) {
                case OnDisk disk -> {
                    MapEntry storage = disk.storage();
                    if (storage.compressed()) {
                        compressedByImage += disk.length();
                    } else if (storage.data() && !storage.zero()) {
                        dataByLayer[storage.depth()] += disk.length();
                    } else if (storage.zero() && storage.present()) {
                        zeroByImage += disk.length();
                    } else {
                        unallocated += disk.length();
                    }
                }
                case Compressed compressed -> compressedByFileSystem += compressed.length();
                case Hole hole -> holes += hole.length();
                case Inline inlined -> inline += inlined.length();
            }
        }

        Totals totals() {
            return new Totals(dataByLayer.clone(), compressedByImage, zeroByImage, unallocated, compressedByFileSystem,
                    holes, inline);
        }
    }
}
