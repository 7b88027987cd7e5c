package org.disklens.vm;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.disklens.io.FileBlockSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads libvirt domain XML with the JDK's parser, locked down: no DOCTYPE at all (so no external entities,
 * no entity expansion), no external DTDs or schemas, no XInclude. A domain XML never needs any of them.
 */
public final class DomainXml {
    /** Domain definitions are a few KiB; anything much larger is not one. */
    static final long MAX_BYTES = 4L << 20;

    private DomainXml() {
    }

    public static Domain read(Path file) throws IOException {
        return parse(file, text(file));
    }

    /** A definition's text: a regular file only (a FIFO named {@code *.xml} would block the read for ever). */
    static String text(Path file) throws IOException {
        if (FileBlockSource.checkRegularFile(file) > MAX_BYTES) {
            throw new IOException("%s: larger than %d MiB, not a domain definition".formatted(file, MAX_BYTES >> 20));
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static Domain parse(Path file, String xml) throws IOException {
        Element root = document(file, xml).getDocumentElement();
        if (!root.getTagName().equals("domain")) {
            throw new IOException("%s: not a libvirt domain (root element <%s>)".formatted(file, root.getTagName()));
        }
        List<DomainDisk> disks = new ArrayList<>();
        for (Element devices : children(root, "devices")) {
            for (Element disk : children(devices, "disk")) {
                disks.add(disk(disk));
            }
        }
        return new Domain(childText(root, "name"), childText(root, "uuid"), file, List.copyOf(disks));
    }

    static Document document(Path file, String xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException invalid) {
            throw new IOException("%s: line %d: %s".formatted(file, invalid.getLineNumber(), oneLine(invalid.getMessage())));
        } catch (SAXException | ParserConfigurationException invalid) {
            throw new IOException("%s: %s".formatted(file, oneLine(invalid.getMessage())));
        }
    }

    private static String oneLine(String message) {
        return message == null ? "not well-formed XML" : message.replace('\n', ' ').strip();
    }

    private static DomainDisk disk(Element disk) {
        Optional<String> driverType = first(disk, "driver").map(driver -> driver.getAttribute("type")).filter(value -> !value.isEmpty());
        Optional<String> source = first(disk, "source").map(DomainXml::sourcePath);
        Element target = first(disk, "target").orElse(null);
        List<DomainDisk.BackingStore> backing = new ArrayList<>();
        Optional<Element> store = first(disk, "backingStore");
        for (int depth = 0; store.isPresent() && depth < 64; depth++) {
            Element current = store.get();
            if (current.getAttributes().getLength() == 0 && !current.hasChildNodes()) {
                break; // <backingStore/>: the chain ends here
            }
            backing.add(new DomainDisk.BackingStore(first(current, "format").map(format -> format.getAttribute("type")),
                    first(current, "source").map(DomainXml::sourcePath)));
            store = first(current, "backingStore");
        }
        return new DomainDisk(disk.getAttribute("type"), disk.getAttribute("device").isEmpty() ? "disk" : disk.getAttribute("device"),
                driverType, source, target == null ? "" : target.getAttribute("dev"), target == null ? "" : target.getAttribute("bus"),
                List.copyOf(backing));
    }

    /** A source names its file as {@code file}, a block device as {@code dev}, a volume by {@code volume}. */
    private static String sourcePath(Element source) {
        for (String attribute : new String[] {"file", "dev", "volume", "name"}) {
            if (!source.getAttribute(attribute).isEmpty()) {
                return source.getAttribute(attribute);
            }
        }
        return "";
    }

    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    static Optional<Element> first(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static String childText(Element parent, String name) {
        return first(parent, name).map(element -> element.getTextContent().strip()).orElse("");
    }
}
