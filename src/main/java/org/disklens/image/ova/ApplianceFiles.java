package org.disklens.image.ova;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import org.disklens.image.OpenContext;
import org.disklens.image.OpenPolicy;
import org.disklens.image.RefusedReference;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * Where an appliance's files are: members of the OVA's tar, read in place as slices of it, or files beside a loose
 * OVF, opened through the open policy. An OVF {@code ovf:href} is the only name either takes.
 */
sealed interface ApplianceFiles {
    /** Marks a file of its own (not a slice of the image's file). */
    long OWN_FILE = -1;

    /**
     * An opened file; {@code shift} is where its byte 0 lies in the image's own file (an OVA member's data offset), or
     * {@link #OWN_FILE}. Closing closes files of their own only.
     */
    record Opened(BlockSource source, long shift) implements Closeable {
        @Override
        public void close() throws IOException {
            if (shift == OWN_FILE) {
                source.close();
            }
        }
    }

    /** Opens the file {@code href} names, for {@code purpose} ({@code disk}, {@code file}, {@code manifest}). */
    Opened open(String href, String purpose) throws IOException;

    /** The file that {@code href} would open, if it exists, without opening it: an OVA member, or empty for an OVF. */
    default Optional<TarIndex.Member> member(String href) {
        return Optional.empty();
    }

    /**
     * An OVA's members. Names match exactly; absolute names and names with {@code ..} are refused outright, so that
     * nothing inside an OVA ever names a file outside it.
     */
    record TarMembers(BlockSource archive, TarIndex index) implements ApplianceFiles {
        @Override
        public Opened open(String href, String purpose) throws IOException {
            checkName(href, purpose);
            TarIndex.Member member = index.member(href).orElseThrow(
                    () -> TarIndex.notAMember("ova", href, archive.name()));
            if (!member.regularFile()) {
                throw new UnsupportedFeature("ova", "tar header", member.headerOffset(),
                        "member '%s' is %s, not a regular file stored in one piece".formatted(TarIndex.shown(href),
                                member.sparse() ? "a sparse file" : "of type '" + member.type() + "'"));
            }
            return new Opened(new SliceBlockSource(archive, member.dataOffset(), member.size()), member.dataOffset());
        }

        @Override
        public Optional<TarIndex.Member> member(String href) {
            return index.member(href);
        }

        static void checkName(String href, String purpose) throws RefusedReference {
            boolean parent = false;
            for (String segment : href.split("/", -1)) {
                parent |= segment.equals("..");
            }
            if (href.isEmpty() || href.startsWith("/") || parent || href.indexOf('\0') >= 0
                    || OpenPolicy.isPseudoPath(href)) {
                throw new RefusedReference("ova: %s '%s' is refused: inside an OVA a file is named by its member name, "
                        .formatted(purpose, TarIndex.shown(href)) + "never by an absolute path, a URL or '..'");
            }
        }
    }

    /**
     * A loose OVF's files, beside it: opened only through the open policy ({@link OpenContext#openReference}), except
     * the descriptor itself (a manifest lists it), which is read from the already open {@code descriptor}.
     */
    record FilesBeside(OpenContext context, BlockSource descriptor) implements ApplianceFiles {
        @Override
        public Opened open(String href, String purpose) throws IOException {
            if (href.equals(descriptor.name())) {
                return new Opened(descriptor, 0);
            }
            return new Opened(context.openReference(href, purpose), OWN_FILE);
        }
    }
}
