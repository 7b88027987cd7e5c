package org.disklens.image.ova;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.image.CheckReport;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.image.RefusedReference;
import org.disklens.io.BlockSource;

/**
 * {@code check} of an appliance: the files the descriptor references are there with the sizes it says, an OVA has
 * no two members of one referenced name, the manifest's digests match (read with progress), the certificate's
 * signature matches the manifest, and then the shown disk's own check. Each problem found is a corruption.
 */
final class OvaCheck {
    private static final int CHUNK = 1 << 20;

    private final OvaImage image;
    private final ProgressListener progress;
    private final String format;
    private final List<String> messages = new ArrayList<>();
    private long corruptions;

    OvaCheck(OvaImage image, ProgressListener progress) {
        this.image = image;
        this.progress = progress;
        this.format = image.format();
    }

    static boolean isManifest(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".mf");
    }

    static boolean isCertificate(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".cert");
    }

    CheckReport run() throws IOException {
        OvfDescriptor descriptor = image.descriptor();
        references(descriptor);
        Optional<Named> manifest = companion(".mf", OvaCheck::isManifest, "manifest");
        manifest.ifPresent(found -> {
            try {
                digests(found);
            } catch (IOException failure) {
                corrupt("%s: manifest %s: %s", format, found.name(), failure.getMessage());
            }
        });
        companion(".cert", OvaCheck::isCertificate, "certificate").ifPresent(certificate -> {
            if (manifest.isEmpty()) {
                corrupt("%s: certificate %s signs a manifest the package does not have", format, certificate.name());
                return;
            }
            ManifestSignature signature = ManifestSignature.verify(certificate.bytes(), manifest.get().bytes(),
                    certificate.name());
            if (signature.valid()) {
                messages.add(signature.message());
            } else {
                corrupt("%s: %s", format, signature.message());
            }
        });
        Optional<DiskImage> disk = image.disk();
        Optional<CheckReport> inner = disk.isPresent() ? disk.get().check(progress) : Optional.empty();
        if (inner.isEmpty()) {
            return new CheckReport(0, corruptions, 0, 0, 0, 0, 0, 0, List.copyOf(messages));
        }
        CheckReport report = inner.get();
        String prefix = "disk %d: ".formatted(image.diskIndex() + 1);
        report.messages().forEach(message -> messages.add(prefix + message));
        long end = report.imageEndOffset() > 0 && image.shift() >= 0 ? image.shift() + report.imageEndOffset()
                : report.imageEndOffset();
        return new CheckReport(report.checkErrors(), report.corruptions() + corruptions, report.leaks(), end,
                report.totalClusters(), report.allocatedClusters(), report.fragmentedClusters(),
                report.compressedClusters(), List.copyOf(messages));
    }

    /** Every File there, of the size it says; in an OVA, once. Every Disk's fileRef names a File. */
    private void references(OvfDescriptor descriptor) throws IOException {
        for (OvfDescriptor.FileRef file : descriptor.files()) {
            progress.checkCancelled();
            String href = TarIndex.shown(file.href());
            if (file.chunkSize().isPresent()) {
                messages.add("%s: File %s is split into chunks (ovf:chunkSize); its chunks are not checked".formatted(format, href));
                continue;
            }
            try (ApplianceFiles.Opened opened = image.files().open(file.href(), "file")) {
                long size = opened.source().size();
                if (file.size().isPresent() && file.size().getAsLong() != size) {
                    corrupt("%s: File %s: ovf:size says %d bytes, the file has %d", format, href, file.size().getAsLong(), size);
                }
            } catch (ImageException | NoSuchFileException missing) {
                corrupt("%s", missing.getMessage());
                continue;
            }
            long copies = image.tar().map(tar -> tar.count(file.href())).orElse(1L);
            if (copies > 1) {
                corrupt("%s: member %s appears %d times; DiskLens reads the last, as tar -x leaves it", format, href, copies);
            }
        }
        int number = 1;
        for (OvfDescriptor.Disk disk : descriptor.disks()) {
            if (disk.fileRef().isPresent() && descriptor.fileOf(disk).isEmpty()) {
                corrupt("%s: Disk %d (%s) names file '%s', which References does not list", format, number,
                        TarIndex.shown(disk.diskId()), TarIndex.shown(disk.fileRef().get()));
            }
            number++;
        }
    }

    /** A manifest or certificate, with its bytes. */
    private record Named(String name, byte[] bytes) {
    }

    /**
     * The package's manifest (or certificate): in an OVA the member named like the descriptor with {@code suffix}, else
     * the first of its kind; beside an OVF the file named so.
     */
    private Optional<Named> companion(String suffix, java.util.function.Predicate<String> kind, String purpose)
            throws IOException {
        String descriptorName = image.tar().isPresent()
                ? image.tar().get().members().getFirst().name() : image.source().name();
        String base = descriptorName.toLowerCase(Locale.ROOT).endsWith(".ovf")
                ? descriptorName.substring(0, descriptorName.length() - 4) : descriptorName;
        String name = base + suffix;
        if (image.tar().isPresent()) {
            TarIndex tar = image.tar().get();
            Optional<TarIndex.Member> member = tar.member(name).or(() -> tar.members().stream()
                    .filter(candidate -> kind.test(candidate.name())).findFirst());
            if (member.isEmpty()) {
                return Optional.empty();
            }
            name = member.get().name();
        }
        try (ApplianceFiles.Opened opened = image.files().open(name, purpose)) {
            return Optional.of(new Named(name, bytes(opened.source(), purpose, name)));
        } catch (RefusedReference | NoSuchFileException absent) {
            if (absent instanceof RefusedReference && !absent.getMessage().contains("not found")) {
                corrupt("%s", absent.getMessage());
            }
            return Optional.empty();
        } catch (ImageException unreadable) {
            corrupt("%s", unreadable.getMessage());
            return Optional.empty();
        }
    }

    private byte[] bytes(BlockSource file, String purpose, String name) throws IOException {
        long size = file.size();
        if (size > Manifest.MAX_SIZE) {
            throw new LimitExceeded("%s: %s %s of %d bytes exceeds the limit of %d".formatted(format, purpose,
                    TarIndex.shown(name), size, Manifest.MAX_SIZE));
        }
        byte[] bytes = new byte[(int) size];
        file.read(0, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /** Each digest line checked against its file's bytes; files the package has that the manifest leaves out said. */
    private void digests(Named found) throws IOException {
        Manifest manifest = Manifest.parse(found.bytes(), format, -1);
        for (String problem : manifest.problems()) {
            corrupt("%s: manifest %s: %s", format, found.name(), problem);
        }
        Set<String> listed = new LinkedHashSet<>();
        Map<String, Long> sizes = new HashMap<>();
        long total = 0;
        for (Manifest.Entry entry : manifest.entries()) {
            listed.add(entry.file());
            if (sizes.containsKey(entry.file())) {
                continue;
            }
            try (ApplianceFiles.Opened file = image.files().open(entry.file(), "file")) {
                sizes.put(entry.file(), file.source().size());
                total += file.source().size();
            } catch (ImageException | NoSuchFileException missing) {
                sizes.put(entry.file(), -1L);
                corrupt("%s: manifest %s lists %s, which is missing: %s", format, found.name(),
                        TarIndex.shown(entry.file()), missing.getMessage());
            }
        }
        Map<String, String> computed = new HashMap<>();
        long done = 0;
        int verified = 0;
        for (Manifest.Entry entry : manifest.entries()) {
            if (sizes.get(entry.file()) < 0) {
                continue;
            }
            String key = entry.javaName() + "(" + entry.file() + ")";
            String actual = computed.get(key);
            if (actual == null) {
                try (ApplianceFiles.Opened file = image.files().open(entry.file(), "file")) {
                    actual = digest(file.source(), entry.javaName(), done, total);
                }
                done += sizes.get(entry.file());
                computed.put(key, actual);
            }
            if (actual.equals(entry.digest())) {
                verified++;
            } else {
                corrupt("%s: %s digest of %s does not match the manifest %s (listed %s, computed %s)", format,
                        entry.algorithm(), TarIndex.shown(entry.file()), found.name(), entry.digest(), actual);
            }
        }
        messages.add("%s: manifest %s: %d of %d digests match".formatted(format, found.name(), verified,
                manifest.entries().size()));
        List<String> expected = new ArrayList<>();
        expected.add(image.tar().isPresent() ? image.tar().get().members().getFirst().name() : image.source().name());
        image.descriptor().files().forEach(file -> expected.add(file.href()));
        for (String name : expected) {
            if (!listed.contains(name)) {
                corrupt("%s: %s is not in the manifest %s", format, TarIndex.shown(name), found.name());
            }
        }
    }

    private String digest(BlockSource file, String algorithm, long done, long total) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(algorithm + " is part of every JDK", impossible);
        }
        long size = file.size();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, size)));
        for (long at = 0; at < size; ) {
            progress.checkCancelled();
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - at));
            file.read(at, buffer);
            digest.update(buffer.flip());
            at += buffer.limit();
            progress.progress(done + at, total);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void corrupt(String template, Object... values) {
        corruptions++;
        messages.add(template.formatted(values));
    }
}
