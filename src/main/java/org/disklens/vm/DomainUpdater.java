package org.disklens.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Re-points a domain's disk after a conversion: in the domain XML, the disk whose {@code <source file>} is the
 * old image gets the new path and its {@code <driver type>} the new format. Only those two attribute values
 * change; every other byte (comments, order, quoting, whitespace) stays. The live definition is never touched
 * unless asked, and then a backup is kept beside it.
 */
public final class DomainUpdater {
    private DomainUpdater() {
    }

    /** The re-pointed document and where it was written. */
    public record Result(Path written, String domainName, String virshStep) {
    }

    /** Writes {@code NAME.xml.disklens-new} beside the definition; the definition itself is left alone. */
    public static Result writeUpdatedCopy(Path domainXml, Path oldSource, Path newSource, String newDriverType) throws IOException {
        String original = DomainXml.text(domainXml);
        String updated = repoint(domainXml, original, oldSource, newSource, newDriverType);
        Path copy = domainXml.resolveSibling(domainXml.getFileName() + ".disklens-new");
        writeAtomically(copy, updated);
        String name = DomainXml.parse(domainXml, original).name();
        return new Result(copy, name, "virsh define %s".formatted(copy));
    }

    /** Rewrites the definition in place, after copying it to {@code NAME.xml.disklens-backup-<time>}. */
    public static Result applyInPlace(Path domainXml, Path oldSource, Path newSource, String newDriverType) throws IOException {
        String original = DomainXml.text(domainXml);
        String updated = repoint(domainXml, original, oldSource, newSource, newDriverType);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = domainXml.resolveSibling(domainXml.getFileName() + ".disklens-backup-" + stamp);
        Files.copy(domainXml, backup, StandardCopyOption.COPY_ATTRIBUTES);
        writeAtomically(domainXml, updated);
        String name = DomainXml.parse(domainXml, original).name();
        return new Result(domainXml, name, "virsh define %s   (the previous definition is kept in %s)".formatted(domainXml, backup));
    }

    /** The document with the disk re-pointed; refuses when no disk uses {@code oldSource}. */
    static String repoint(Path file, String text, Path oldSource, Path newSource, String newDriverType) throws IOException {
        DomainXml.parse(file, text); // well-formed and a domain, before anything is spliced
        List<Edit> edits = new ArrayList<>();
        List<XmlTags.Tag> disk = new ArrayList<>();
        boolean inDisk = false;
        for (XmlTags.Tag tag : XmlTags.scan(text)) {
            if (tag.name().equals("disk") && !tag.closing()) {
                inDisk = !tag.empty();
                disk.clear();
            } else if (tag.name().equals("disk") && tag.closing()) {
                edits.addAll(editsFor(text, disk, oldSource, newSource, newDriverType));
                inDisk = false;
            } else if (inDisk) {
                disk.add(tag);
            }
        }
        if (edits.isEmpty()) {
            throw new IOException("%s: no disk uses %s".formatted(file, oldSource));
        }
        StringBuilder out = new StringBuilder(text);
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit edit : edits) {
            out.replace(edit.start(), edit.end(), edit.replacement());
        }
        String updated = out.toString();
        DomainXml.parse(file, updated); // still well-formed
        return updated;
    }

    private record Edit(int start, int end, String replacement) {
    }

    /** The disk's own source and driver: not those of its {@code <backingStore>} elements. */
    private static List<Edit> editsFor(String text, List<XmlTags.Tag> tags, Path oldSource, Path newSource, String type) {
        Optional<XmlTags.Tag> source = Optional.empty();
        Optional<XmlTags.Tag> driver = Optional.empty();
        int nesting = 0;
        for (XmlTags.Tag tag : tags) {
            if (tag.name().equals("backingStore")) {
                nesting += tag.closing() ? -1 : tag.empty() ? 0 : 1;
                continue;
            }
            if (nesting == 0 && tag.name().equals("source") && !tag.closing() && source.isEmpty()) {
                source = Optional.of(tag);
            }
            if (nesting == 0 && tag.name().equals("driver") && !tag.closing() && driver.isEmpty()) {
                driver = Optional.of(tag);
            }
        }
        Optional<XmlTags.Attribute> file = source.flatMap(tag -> tag.attribute("file"));
        if (file.isEmpty() || !samePath(XmlTags.unescape(text.substring(file.get().valueStart(), file.get().valueEnd())), oldSource)) {
            return List.of();
        }
        List<Edit> edits = new ArrayList<>();
        edits.add(new Edit(file.get().valueStart(), file.get().valueEnd(),
                XmlTags.escape(newSource.toString(), file.get().quote())));
        if (driver.isPresent() && driver.get().attribute("type").isPresent()) {
            XmlTags.Attribute current = driver.get().attribute("type").get();
            edits.add(new Edit(current.valueStart(), current.valueEnd(), XmlTags.escape(type, current.quote())));
        } else if (driver.isPresent()) {
            edits.add(new Edit(driver.get().attributesEnd(), driver.get().attributesEnd(), " type='%s'".formatted(type)));
        } else {
            edits.add(new Edit(source.get().start(), source.get().start(), "<driver name='qemu' type='%s'/>".formatted(type)
                    + indentationBefore(text, source.get().start())));
        }
        return edits;
    }

    private static String indentationBefore(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        String prefix = text.substring(lineStart, at);
        return prefix.isBlank() ? "\n" + prefix : " ";
    }

    private static boolean samePath(String written, Path image) {
        try {
            Path declared = Path.of(written);
            if (Files.exists(declared) && Files.exists(image)) {
                return Files.isSameFile(declared, image);
            }
            return declared.toAbsolutePath().normalize().equals(image.toAbsolutePath().normalize());
        } catch (IOException | RuntimeException unresolvable) {
            return false;
        }
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".disklens-tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
