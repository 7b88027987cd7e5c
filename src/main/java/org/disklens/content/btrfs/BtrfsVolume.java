package org.disklens.content.btrfs;

import org.disklens.content.Lru;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * The reads of one Btrfs device: the superblock (the primary, or the best mirror when it is damaged), the chunk map
 * (bootstrapped from the superblock's system chunk array, then read from the chunk tree), and tree blocks by logical
 * address, each copy on this device tried until one has the right checksum, address, file system UUID, level and
 * generation; blocks are cached in a bounded LRU.
 */
final class BtrfsVolume {
    static final String NAMING = "btrfs";
    private static final long BLOCK_CACHE_BYTES = 24L << 20;

    /** A tree block and where the copy that was used lies in the volume. */
    record Block(TreeBlock tree, long volumeOffset) {
    }

    private final BlockSource source;
    private final long volumeSize;
    private final BtrfsSuperblock superblock;
    private final long superblockOffset;
    private final BtrfsChecksum checksum;
    private final Warnings warnings;
    private final Lru<Long, Block> blocks = new Lru<>(BLOCK_CACHE_BYTES, block -> block.tree().bytes().length + 256L);
    private volatile ChunkMap chunks;

    private BtrfsVolume(BlockSource source, BtrfsSuperblock superblock, long superblockOffset, Warnings warnings)
            throws IOException {
        this.source = source;
        this.volumeSize = source.size();
        this.superblock = superblock;
        this.superblockOffset = superblockOffset;
        this.checksum = BtrfsChecksum.of(superblock.checksumType(), superblockOffset);
        this.warnings = warnings;
    }

    /** Reads and checks the superblock, then the chunk map. */
    static BtrfsVolume open(BlockSource source, Warnings warnings) throws IOException {
        SuperblockCopy chosen = SuperblockCopy.choose(source, warnings);
        BtrfsVolume volume = new BtrfsVolume(source, chosen.superblock(), chosen.offset(), warnings);
        volume.checkGeometry();
        volume.chunks = new ChunkMap(volume.systemChunks(chosen.block()));
        volume.readChunkTree();
        return volume;
    }

    private void checkGeometry() throws ImageException {
        BtrfsSuperblock sb = superblock;
        int sector = sb.sectorSize();
        int node = sb.nodeSize();
        if (sector < 4096 || sector > 65536 || Integer.bitCount(sector) != 1) {
            throw new CorruptImage(NAMING, "superblock", superblockOffset, "sector size %d is not a power of two from 4 KiB to 64 KiB"
                    .formatted(sector));
        }
        if (node < sector || node > 65536 || Integer.bitCount(node) != 1) {
            throw new CorruptImage(NAMING, "superblock", superblockOffset, "node size %d is not a power of two from the sector size to 64 KiB"
                    .formatted(node));
        }
        long unknown = sb.incompatFlags() & ~BtrfsSuperblock.INCOMPAT_READABLE;
        if ((unknown & BtrfsSuperblock.INCOMPAT_ZONED) != 0) {
            throw new UnsupportedFeature(NAMING, "superblock", superblockOffset, "zoned file systems are not read by DiskLens");
        }
        if ((unknown & BtrfsSuperblock.INCOMPAT_EXTENT_TREE_V2) != 0) {
            throw new UnsupportedFeature(NAMING, "superblock", superblockOffset, "extent tree v2 is not read by DiskLens");
        }
        if ((unknown & BtrfsSuperblock.INCOMPAT_RAID_STRIPE_TREE) != 0) {
            throw new UnsupportedFeature(NAMING, "superblock", superblockOffset, "the RAID stripe tree is not read by DiskLens");
        }
        if (unknown != 0) {
            throw new UnsupportedFeature(NAMING, "superblock", superblockOffset, "unknown incompatible features 0x%x"
                    .formatted(unknown));
        }
        if (sb.sysChunkArraySize() < 0 || sb.sysChunkArraySize() > BtrfsSuperblock.SYS_CHUNK_ARRAY_MAX) {
            throw new CorruptImage(NAMING, "superblock", superblockOffset, "system chunk array of %d bytes is larger than %d"
                    .formatted(sb.sysChunkArraySize(), BtrfsSuperblock.SYS_CHUNK_ARRAY_MAX));
        }
        if (sb.rootLevel() > TreeBlock.MAX_LEVEL || sb.chunkRootLevel() > TreeBlock.MAX_LEVEL) {
            throw new CorruptImage(NAMING, "superblock", superblockOffset, "tree level %d is above %d".formatted(
                    Math.max(sb.rootLevel(), sb.chunkRootLevel()), TreeBlock.MAX_LEVEL));
        }
        if (sb.logRoot() != 0) {
            warn(NAMING + ": the log tree holds fsynced changes; DiskLens shows the file system as last committed, "
                    + "without replaying them");
        }
        if (sb.device().totalBytes() > volumeSize) {
            warn("%s: the volume holds 0x%x bytes, less than the device's 0x%x; what lies past its end cannot be read"
                    .formatted(NAMING, volumeSize, sb.device().totalBytes()));
        }
    }

    /** The chunks of the superblock's system chunk array: (key, chunk item) pairs. */
    private List<Chunk> systemChunks(ByteBuffer block) throws CorruptImage {
        ByteBuffer array = BtrfsSuperblock.sysChunkArray(block, superblock.sysChunkArraySize());
        List<Chunk> chunks = new ArrayList<>();
        int at = 0;
        while (at < array.limit()) {
            long where = superblockOffset + BtrfsSuperblock.SYS_CHUNK_ARRAY + at;
            if (array.limit() - at < Key.SIZE + Chunk.HEADER) {
                throw new CorruptImage(NAMING, "system chunk array", where, "an entry is cut short");
            }
            Key key = Key.parse(array, at);
            if (key.type() != Key.CHUNK_ITEM) {
                throw new CorruptImage(NAMING, "system chunk array", where, "key %s is not a chunk item".formatted(key));
            }
            ByteBuffer item = array.slice(at + Key.SIZE, array.limit() - at - Key.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            Chunk chunk = Chunk.parse(item, key.offset(), where);
            chunks.add(chunk);
            at += Key.SIZE + Chunk.itemSize(item);
        }
        if (chunks.isEmpty()) {
            throw new CorruptImage(NAMING, "system chunk array", superblockOffset + BtrfsSuperblock.SYS_CHUNK_ARRAY,
                    "holds no chunk");
        }
        return chunks;
    }

    /** Every chunk item of the chunk tree. */
    private void readChunkTree() throws IOException {
        Tree chunkTree = new Tree(this, Key.CHUNK_TREE, superblock.chunkRoot(), superblock.chunkRootLevel(), "chunk tree");
        List<Chunk> all = new ArrayList<>();
        chunkTree.scan(Key.first(Key.FIRST_CHUNK_TREE, Key.CHUNK_ITEM), Key.last(Key.FIRST_CHUNK_TREE, Key.CHUNK_ITEM),
                item -> {
                    if (all.size() >= ChunkMap.MAX_CHUNKS) {
                        throw new LimitExceeded(NAMING, "chunk tree", -1,
                                "more than %d chunks".formatted(ChunkMap.MAX_CHUNKS));
                    }
                    all.add(Chunk.parse(item.data(), item.key().offset(), item.volumeOffset()));
                    return true;
                });
        ChunkMap full = new ChunkMap(all);
        checkStripesOnThisDevice(full);
        chunks = full;
    }

    /** Stripes on this device must lie inside it and must not overlap one another. */
    private void checkStripesOnThisDevice(ChunkMap map) throws CorruptImage {
        long deviceBytes = superblock.device().totalBytes();
        List<long[]> ranges = new ArrayList<>();
        for (Chunk chunk : map.all()) {
            for (Chunk.Stripe stripe : chunk.stripes()) {
                if (stripe.devid() != devid()) {
                    continue;
                }
                long size = chunk.stripeSize();
                if (stripe.offset() > deviceBytes - size) {
                    throw new CorruptImage(NAMING, "chunk at logical 0x%x".formatted(chunk.logical()), -1,
                            "its stripe at 0x%x (0x%x bytes) ends past the device (0x%x bytes)"
                                    .formatted(stripe.offset(), size, deviceBytes));
                }
                ranges.add(new long[] {stripe.offset(), stripe.offset() + size, chunk.logical()});
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
                throw new CorruptImage(NAMING, "chunk at logical 0x%x".formatted(ranges.get(i)[2]), ranges.get(i)[0],
                        "its stripe overlaps a stripe of the chunk at logical 0x%x".formatted(ranges.get(i - 1)[2]));
            }
        }
    }

    BlockSource source() {
        return source;
    }

    long size() {
        return volumeSize;
    }

    BtrfsSuperblock superblock() {
        return superblock;
    }

    ChunkMap chunks() {
        return chunks;
    }

    long devid() {
        return superblock.device().devid();
    }

    void warn(String message) {
        warnings.add(message);
    }

    /** {@code length} bytes at {@code volumeOffset}, refused when they lie past the volume. */
    ByteBuffer read(long volumeOffset, int length, String what) throws IOException {
        if (volumeOffset < 0 || volumeOffset > volumeSize - length) {
            throw new CorruptImage(NAMING, what, volumeOffset, "lies past the end of the volume (0x%x bytes)"
                    .formatted(volumeSize));
        }
        return source.read(volumeOffset, length, ByteOrder.LITTLE_ENDIAN);
    }

    /** The chunk holding logical {@code address}, or a refusal naming {@code what}. */
    Chunk chunk(long address, String what) throws CorruptImage {
        Chunk chunk = chunks.find(address);
        if (chunk == null) {
            throw new CorruptImage(NAMING, what, -1, "logical address 0x%x is in no chunk".formatted(address));
        }
        return chunk;
    }

    /** The places of {@code address} on this device (first good copy first); refuses when all are on other devices. */
    List<Chunk.Place> placesHere(long address, String what) throws ImageException {
        Chunk chunk = chunk(address, what);
        List<Chunk.Place> all = chunk.places(address);
        List<Chunk.Place> here = new ArrayList<>(all.size());
        for (Chunk.Place place : all) {
            if (place.stripe().devid() == devid()) {
                here.add(place);
            }
        }
        if (here.isEmpty()) {
            throw missingDevice(all.getFirst().stripe(), what);
        }
        return here;
    }

    private UnsupportedFeature missingDevice(Chunk.Stripe stripe, String what) {
        return new UnsupportedFeature(NAMING, what, -1, "needs device %d of %d (uuid %s), which is not this volume (device %d)"
                .formatted(stripe.devid(), superblock.numDevices(), stripe.deviceUuid(), devid()));
    }

    /** Reads {@code dst.remaining()} bytes from logical {@code address} on, stripe by stripe, first copy here. */
    void readLogical(long address, ByteBuffer dst, String what) throws IOException {
        long at = address;
        while (dst.hasRemaining()) {
            Chunk.Place place = placesHere(at, what).getFirst();
            int length = (int) Math.min(dst.remaining(), place.contiguous());
            dst.put(read(place.physical(), length, what));
            at += length;
        }
    }

    /** The tree block at {@code logical}, expected at {@code level} (and {@code generation} unless it is -1). */
    Block block(long logical, int level, long generation, String what) throws IOException {
        Block block = blocks.get(logical, () -> load(logical, level, generation, what));
        if (block.tree().level() != level) {
            throw new CorruptImage(NAMING, "%s block at logical 0x%x".formatted(what, logical), block.volumeOffset(),
                    "level %d where its parent expects %d (the tree loops or is damaged)".formatted(block.tree().level(), level));
        }
        return block;
    }

    private Block load(long logical, int level, long generation, String what) throws IOException {
        String structure = "%s block at logical 0x%x".formatted(what, logical);
        int nodeSize = superblock.nodeSize();
        if (logical % superblock.sectorSize() != 0) {
            throw new CorruptImage(NAMING, structure, -1, "is not aligned to the sector size");
        }
        Chunk chunk = chunk(logical, structure);
        if (logical > chunk.end() - nodeSize) {
            throw new CorruptImage(NAMING, structure, -1, "runs past the end of its chunk");
        }
        Block fallback = null;
        String fallbackProblem = null;
        String firstProblem = null;
        long firstOffset = -1;
        for (Chunk.Place place : placesHere(logical, structure)) {
            Candidate candidate = candidate(place, logical, level, generation, nodeSize, structure);
            if (candidate.problem() == null) {
                if (firstProblem != null) {
                    warn("%s: %s at 0x%x: %s; another copy at 0x%x was used".formatted(NAMING, structure, firstOffset,
                            firstProblem, place.physical()));
                }
                return candidate.block();
            }
            if (firstProblem == null) {
                firstProblem = candidate.problem();
                firstOffset = place.physical();
            }
            if (candidate.block() != null && fallback == null) {
                fallback = candidate.block();
                fallbackProblem = candidate.problem();
            }
        }
        if (fallback != null) {
            warn("%s: %s at 0x%x: %s (no copy is better; used as it is)".formatted(NAMING, structure,
                    fallback.volumeOffset(), fallbackProblem));
            return fallback;
        }
        throw new CorruptImage(NAMING, structure, firstOffset, firstProblem);
    }

    /** One copy: usable (problem null), usable with a problem (a checksum or generation mismatch), or unusable. */
    private record Candidate(Block block, String problem) {
    }

    private Candidate candidate(Chunk.Place place, long logical, int level, long generation, int nodeSize, String what)
            throws IOException {
        if (place.contiguous() < nodeSize) {
            return new Candidate(null, "crosses a stripe boundary");
        }
        if (place.physical() < 0 || place.physical() > volumeSize - nodeSize) {
            return new Candidate(null, "lies past the end of the volume (0x%x bytes)".formatted(volumeSize));
        }
        byte[] bytes = new byte[nodeSize];
        source.read(place.physical(), ByteBuffer.wrap(bytes));
        TreeBlock.Parsed parsed = TreeBlock.parse(bytes);
        boolean checksumMatches = checksum.matches(ByteBuffer.wrap(bytes));
        if (parsed.block().isEmpty()) {
            return new Candidate(null, checksumMatches ? parsed.problem() : "checksum mismatch, and " + parsed.problem());
        }
        TreeBlock tree = parsed.block().get();
        if (tree.bytenr() != logical) {
            return new Candidate(null, "says it is the block at logical 0x%x".formatted(tree.bytenr()));
        }
        if (!tree.fsid().equals(superblock.headerUuid())) {
            return new Candidate(null, "belongs to file system %s, not %s".formatted(tree.fsid(), superblock.headerUuid()));
        }
        if (tree.level() != level) {
            return new Candidate(null, "level %d where its parent expects %d (the tree loops or is damaged)"
                    .formatted(tree.level(), level));
        }
        Block block = new Block(tree, place.physical());
        if (!checksumMatches) {
            return new Candidate(block, "%s checksum mismatch".formatted(checksum.label()));
        }
        if (generation != -1 && tree.generation() != generation) {
            return new Candidate(block, "generation %d where its parent expects %d".formatted(tree.generation(), generation));
        }
        return new Candidate(block, null);
    }

    /** The superblock copy used: the primary when sound, else the sound mirror of the highest generation. */
    private record SuperblockCopy(BtrfsSuperblock superblock, long offset, ByteBuffer block) {
        static SuperblockCopy choose(BlockSource source, Warnings warnings) throws IOException {
            long size = source.size();
            String primaryProblem = null;
            SuperblockCopy best = null;
            for (long offset : BtrfsSuperblock.COPIES) {
                if (offset > size - BtrfsSuperblock.BLOCK_SIZE) {
                    if (offset == BtrfsSuperblock.OFFSET) {
                        primaryProblem = "the volume is too small to hold it";
                    }
                    continue;
                }
                ByteBuffer block = source.read(offset, BtrfsSuperblock.BLOCK_SIZE, ByteOrder.LITTLE_ENDIAN);
                String problem;
                try {
                    problem = problem(block, offset);
                } catch (UnsupportedFeature unsupported) {
                    if (offset == BtrfsSuperblock.OFFSET) {
                        throw unsupported;
                    }
                    problem = unsupported.getMessage();
                }
                if (offset == BtrfsSuperblock.OFFSET) {
                    primaryProblem = problem;
                    if (problem == null) {
                        return new SuperblockCopy(BtrfsSuperblock.parse(block).orElseThrow(), offset, block);
                    }
                } else if (problem == null) {
                    BtrfsSuperblock mirror = BtrfsSuperblock.parse(block).orElseThrow();
                    if (best == null || Long.compareUnsigned(mirror.generation(), best.superblock().generation()) > 0) {
                        best = new SuperblockCopy(mirror, offset, block);
                    }
                }
            }
            if (best == null) {
                throw new CorruptImage(NAMING, "superblock", BtrfsSuperblock.OFFSET, primaryProblem + ", and no mirror is sound");
            }
            warnings.add("%s: superblock at 0x%x: %s; the mirror at 0x%x was used".formatted(NAMING, BtrfsSuperblock.OFFSET,
                    primaryProblem, best.offset()));
            return best;
        }

        /** Why the copy at {@code offset} cannot be used, or null. */
        private static String problem(ByteBuffer block, long offset) throws UnsupportedFeature {
            var parsed = BtrfsSuperblock.parse(block.position(0));
            block.position(0);
            if (parsed.isEmpty()) {
                return "no Btrfs magic _BHRfS_M";
            }
            if (parsed.get().bytenr() != offset) {
                return "says it lies at 0x%x".formatted(parsed.get().bytenr());
            }
            BtrfsChecksum checksum = BtrfsChecksum.of(parsed.get().checksumType(), offset);
            return checksum.matches(block) ? null : checksum.label() + " checksum mismatch";
        }
    }
}
