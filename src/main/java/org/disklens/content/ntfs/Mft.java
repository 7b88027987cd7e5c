package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * The Master File Table: the unnamed {@code $DATA} of record 0 ({@code $MFT}), whose runs (a fragmented MFT has
 * many, possibly continued in extension records through record 0's attribute list) say where every record is.
 * Records are read in chunks kept in a bounded LRU cache, so listing a directory whose files were created together
 * reads the MFT in large pieces. Thread-safe.
 */
final class Mft {
    static final long MFT_RECORD = 0;
    /** Records are read this many bytes at a time (at least one record), and this many chunks are kept: 16 MiB. */
    static final int CHUNK = 32 << 10;
    static final int CACHED_CHUNKS = 512;
    /** An attribute list of at most this many bytes, naming at most this many extension records. */
    static final int MAX_ATTRIBUTE_LIST = 4 << 20;
    static final int MAX_EXTENSION_RECORDS = 4096;

    private final BlockSource volume;
    private final Geometry geometry;
    private final DataStream stream;
    private final long recordCount;
    private final int chunkSize;
    private final Map<Long, Chunk> chunks = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Chunk> eldest) {
            return size() > CACHED_CHUNKS;
        }
    };

    private Mft(BlockSource volume, Geometry geometry, DataStream stream) throws CorruptImage {
        this.volume = volume;
        this.geometry = geometry;
        this.stream = stream;
        this.recordCount = stream.size() / geometry.recordSize();
        this.chunkSize = Math.max(CHUNK, geometry.recordSize());
        if (stream.compressed() || stream.encrypted() || stream.runs().count() == 0) {
            throw new CorruptImage(Geometry.NAMING, "$MFT", geometry.bytes(geometry.mftCluster()),
                    "its $DATA is not a plain non-resident stream");
        }
    }

    /** Reads record 0 where the boot sector says (or, if it is damaged, from $MFTMirr) and follows its runs. */
    static Mft open(BlockSource volume, Geometry geometry, Consumer<String> warnings) throws IOException {
        MftRecord first = firstRecord(volume, geometry, warnings);
        List<Attribute> own = first.attributes();
        Mft bootstrap = new Mft(volume, geometry, DataStream.of(unnamedData(own, first), geometry));
        if (own.stream().noneMatch(attribute -> attribute.type() == MftRecord.ATTRIBUTE_LIST)) {
            return bootstrap;
        }
        // The runs in record 0 reach the extension records that hold the rest of the runs.
        return new Mft(volume, geometry, DataStream.of(unnamedData(bootstrap.attributes(first), first), geometry));
    }

    private static MftRecord firstRecord(BlockSource volume, Geometry geometry, Consumer<String> warnings)
            throws IOException {
        long at = geometry.bytes(geometry.mftCluster());
        try {
            return MftRecord.parse(Geometry.read(volume, at, geometry.recordSize(), "MFT record 0"), MFT_RECORD, at);
        } catch (CorruptImage damaged) {
            long mirror = geometry.mirrorCluster();
            if (mirror <= 0 || mirror >= geometry.clusterCount()) {
                throw damaged;
            }
            long mirrorAt = geometry.bytes(mirror);
            MftRecord copy;
            try {
                copy = MftRecord.parse(Geometry.read(volume, mirrorAt, geometry.recordSize(), "$MFTMirr record 0"),
                        MFT_RECORD, mirrorAt);
            } catch (ImageException alsoDamaged) {
                throw damaged;
            }
            warnings.accept(damaged.getMessage() + "; read from $MFTMirr instead");
            return copy;
        }
    }

    private static List<Attribute> unnamedData(List<Attribute> attributes, MftRecord record) throws CorruptImage {
        List<Attribute> data = attributes.stream()
                .filter(attribute -> attribute.type() == MftRecord.DATA && attribute.name().isEmpty()).toList();
        if (data.isEmpty()) {
            throw new CorruptImage(Geometry.NAMING, "MFT record 0 ($MFT)", record.volumeOffset(), "it has no $DATA");
        }
        return data;
    }

    /** Record {@code number}, its fix-ups applied and header checked. */
    MftRecord record(long number) throws IOException {
        if (number < 0 || number >= recordCount) {
            throw new CorruptImage(Geometry.NAMING, "MFT record " + number, -1,
                    "lies beyond the MFT's %d records".formatted(recordCount));
        }
        long offset = number * geometry.recordSize();
        long index = offset / chunkSize;
        int into = (int) (offset - index * chunkSize);
        Chunk chunk = chunk(index);
        CorruptImage damage = chunk.damage()[into / geometry.recordSize()];
        if (damage != null) {
            throw new CorruptImage(damage.getMessage());
        }
        ByteBuffer record = ByteBuffer.wrap(chunk.bytes(), into, geometry.recordSize()).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        return MftRecord.parseFixed(record, number, volumeOffset(offset));
    }

    private long volumeOffset(long mftOffset) throws ImageException {
        return stream.map(volume, mftOffset, 1) instanceof Mapping.Data data ? data.hostOffset() : -1;
    }

    private long volumeOffsetOrUnknown(long mftOffset) {
        try {
            return volumeOffset(mftOffset);
        } catch (ImageException unknown) {
            return -1;
        }
    }

    /** Records read together, their update sequences already put back; {@code damage} says which were torn. */
    private record Chunk(byte[] bytes, CorruptImage[] damage) {
    }

    private synchronized Chunk chunk(long index) throws IOException {
        Chunk cached = chunks.get(index);
        if (cached != null) {
            return cached;
        }
        long start = index * chunkSize;
        byte[] bytes = new byte[(int) Math.min(chunkSize, stream.size() - start)];
        stream.read(volume, start, ByteBuffer.wrap(bytes));
        int recordSize = geometry.recordSize();
        CorruptImage[] damage = new CorruptImage[bytes.length / recordSize];
        for (int i = 0; i < damage.length; i++) {
            ByteBuffer record = ByteBuffer.wrap(bytes, i * recordSize, recordSize).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (MftRecord.signed(record)) {
                long number = start / recordSize + i;
                try {
                    Fixups.apply(record, () -> "MFT record " + number, () -> volumeOffsetOrUnknown(number * recordSize));
                } catch (CorruptImage torn) {
                    damage[i] = torn;
                }
            }
        }
        Chunk chunk = new Chunk(bytes, damage);
        chunks.put(index, chunk);
        return chunk;
    }

    /**
     * The attributes of a base record, with those its {@code $ATTRIBUTE_LIST} places in extension records. Each
     * extension record is read once and must name {@code base} as its base record, so a list cannot loop.
     */
    List<Attribute> attributes(MftRecord base) throws IOException {
        List<Attribute> own = base.attributes();
        Attribute listAttribute = null;
        for (Attribute attribute : own) {
            listAttribute = listAttribute == null && attribute.type() == MftRecord.ATTRIBUTE_LIST ? attribute : listAttribute;
        }
        if (listAttribute == null) {
            return own;
        }
        List<Attribute> list = List.of(listAttribute);
        List<Attribute> all = new ArrayList<>(own);
        all.removeIf(attribute -> attribute.type() == MftRecord.ATTRIBUTE_LIST);
        Set<Long> extensions = new LinkedHashSet<>();
        for (AttributeListEntry entry : AttributeListEntry.parseAll(attributeList(list.getFirst()), list.getFirst().describe())) {
            long number = FileReference.number(entry.reference());
            if (number != base.number() && extensions.add(number) && extensions.size() > MAX_EXTENSION_RECORDS) {
                throw new LimitExceeded(Geometry.NAMING, list.getFirst().describe(), -1,
                        "more than %d extension records".formatted(MAX_EXTENSION_RECORDS));
            }
        }
        for (long number : extensions) {
            MftRecord extension = record(number);
            if (!extension.inUse() || extension.baseRecord() != base.number()) {
                throw new CorruptImage(Geometry.NAMING, list.getFirst().describe(), -1,
                        "it names MFT record %d, which is not an extension of record %d".formatted(number, base.number()));
            }
            extension.attributes().stream().filter(attribute -> attribute.type() != MftRecord.ATTRIBUTE_LIST)
                    .forEach(all::add);
        }
        return all;
    }

    private byte[] attributeList(Attribute list) throws IOException {
        return list.resident() ? list.value()
                : DataStream.of(List.of(list), geometry).readAll(volume, MAX_ATTRIBUTE_LIST);
    }
}
