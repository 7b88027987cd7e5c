package org.disklens.image.ova;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * An OVF descriptor (DMTF DSP0243, OVF 1.x and 2.0 envelopes), as far as DiskLens shows it: the files it references,
 * its disks, and the first virtual system's name, operating system, CPUs, memory and networks. Parsed with a parser
 * that refuses any DOCTYPE (so no entity is ever expanded and no external file read), with secure processing on,
 * external entities, DTDs and schemas off and XInclude off.
 *
 * @param namespace   the envelope namespace ({@link #OVF_1} or {@link #OVF_2})
 * @param version     the envelope's {@code ovf:version} attribute, where it has one (VirtualBox writes it)
 * @param systemId    the first VirtualSystem's {@code ovf:id}
 * @param name        its {@code Name} element
 * @param osId        OperatingSystemSection {@code ovf:id}: the CIM operating system code
 * @param osType      {@code vmw:osType}, else VirtualBox's {@code vbox:OSType}, else the section's Description
 * @param cpus        the Processor item's (ResourceType 3) VirtualQuantity
 * @param memoryBytes the Memory item's (ResourceType 4) VirtualQuantity times its AllocationUnits
 * @param memory      that item's VirtualQuantity and AllocationUnits as written
 */
record OvfDescriptor(String namespace, Optional<String> version, List<FileRef> files, List<Disk> disks,
                     Optional<String> systemId, Optional<String> name, OptionalLong osId, Optional<String> osType,
                     OptionalLong cpus, OptionalLong memoryBytes, Optional<String> memory, List<String> networks) {
    static final String OVF_1 = "http://schemas.dmtf.org/ovf/envelope/1";
    static final String OVF_2 = "http://schemas.dmtf.org/ovf/envelope/2";
    /** A descriptor larger than this is refused (real ones are a few KiB to a few hundred). */
    static final int MAX_SIZE = 16 << 20;
    /** Disks listed at most. */
    static final int MAX_DISKS = 256;
    /** Files referenced at most. */
    static final int MAX_FILES = 10_000;

    /**
     * A {@code References/File}: {@code ovf:id}, {@code ovf:href} (relative to the descriptor, or a member of the
     * OVA), {@code ovf:size}, {@code ovf:compression} ({@code none} for identity or absent, else as written:
     * {@code gzip}), {@code ovf:chunkSize} (the file is split into {@code href.000000000}, … chunks).
     */
    record FileRef(String id, String href, OptionalLong size, String compression, OptionalLong chunkSize) {
    }

    /**
     * A {@code DiskSection/Disk}: {@code ovf:diskId}, {@code ovf:fileRef} (absent for a blank disk created at
     * deployment), {@code ovf:capacity} in {@code ovf:capacityAllocationUnits} (default bytes), {@code ovf:format}
     * (a URL naming the disk format), {@code ovf:populatedSize}.
     */
    record Disk(String diskId, Optional<String> fileRef, String capacity, String capacityUnits,
                OptionalLong capacityBytes, String formatUrl, OptionalLong populatedSize) {

        /** {@code vmdk}, {@code vhd}, {@code vhdx}, {@code qcow2}, {@code vdi}, {@code raw} where the URL says so; else the URL. */
        String shortFormat() {
            String url = formatUrl.toLowerCase(Locale.ROOT);
            if (url.contains("vmdk")) {
                return "vmdk";
            }
            if (url.contains("vhdx")) {
                return "vhdx";
            }
            if (url.contains("vhd") || url.contains("linkid=137171") || url.contains("bb676673")) {
                return "vhd";
            }
            if (url.contains("qcow")) {
                return "qcow2";
            }
            if (url.contains("vdi")) {
                return "vdi";
            }
            if (url.contains("raw")) {
                return "raw";
            }
            return formatUrl;
        }
    }

    /** The file the disk's {@code ovf:fileRef} names. */
    Optional<FileRef> fileOf(Disk disk) {
        return disk.fileRef().flatMap(id -> files.stream().filter(file -> file.id().equals(id)).findFirst());
    }

    /** {@code 1.0} (the envelope's own version attribute), or {@code 1.x}/{@code 2.x} from its namespace. */
    String versionName() {
        return version.orElse(namespace.equals(OVF_2) ? "2.x" : "1.x");
    }

    // ---- parsing ----

    /**
     * Parses a descriptor's bytes, found at {@code hostOffset} of the file; errors name {@code format} ({@code ova},
     * {@code ovf}).
     */
    static OvfDescriptor parse(byte[] xml, String format, long hostOffset) throws CorruptImage, LimitExceeded,
            UnsupportedFeature {
        if (xml.length > MAX_SIZE) {
            throw new LimitExceeded(format, "OVF descriptor", hostOffset,
                    "%d bytes exceed the limit of %d".formatted(xml.length, MAX_SIZE));
        }
        Element root = parseXml(xml, format, hostOffset).getDocumentElement();
        String ns = root.getNamespaceURI();
        if (!"Envelope".equals(root.getLocalName()) || !(OVF_1.equals(ns) || OVF_2.equals(ns))) {
            throw new UnsupportedFeature(format, "OVF descriptor", hostOffset,
                    "the root element <%s> in namespace %s is not an OVF 1.x or 2.0 Envelope"
                            .formatted(TarIndex.shown(root.getTagName()), ns == null ? "(none)" : TarIndex.shown(ns)));
        }
        return new Reader(root, ns, format, hostOffset).read();
    }

    private static Document parseXml(byte[] xml, String format, long hostOffset) throws CorruptImage {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
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
            builder.setErrorHandler(SILENT);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity '%s' refused".formatted(systemId));
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException invalid) {
            String message = String.valueOf(invalid.getMessage());
            if (message.contains("DOCTYPE")) {
                throw new CorruptImage(format, "OVF descriptor", hostOffset,
                        "refused: it has a DOCTYPE declaration (an OVF needs none; entities are never expanded)");
            }
            throw new CorruptImage(format, "OVF descriptor", hostOffset,
                    "not well-formed XML (line %d, column %d): %s".formatted(invalid.getLineNumber(),
                            invalid.getColumnNumber(), TarIndex.shown(message)));
        } catch (SAXException | IOException | RuntimeException unreadable) {
            throw new CorruptImage(format, "OVF descriptor", hostOffset,
                    "not readable as XML: " + TarIndex.shown(String.valueOf(unreadable.getMessage())));
        } catch (ParserConfigurationException impossible) {
            throw new IllegalStateException("the JDK's XML parser lacks secure processing", impossible);
        }
    }

    /** Reports nothing itself (the core never prints): errors become exceptions, warnings are dropped. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    /** Walks the parsed envelope. Elements of the OVF namespace are matched by namespace; CIM ones by local name. */
    private record Reader(Element root, String ns, String format, long hostOffset) {

        OvfDescriptor read() throws CorruptImage, LimitExceeded {
            List<FileRef> files = files();
            List<Disk> disks = disks();
            Optional<Element> system = firstDescendant(root, ns, "VirtualSystem");
            Optional<String> systemId = system.flatMap(element -> attribute(element, "id"));
            Optional<String> name = system.flatMap(element -> child(element, ns, "Name")).map(Reader::text)
                    .filter(text -> !text.isEmpty());
            Optional<Element> os = system.flatMap(element -> child(element, ns, "OperatingSystemSection"));
            OptionalLong osId = os.flatMap(element -> attribute(element, "id")).map(Reader::number)
                    .orElse(OptionalLong.empty());
            Optional<String> osType = os.flatMap(Reader::osType);
            Optional<Element> hardware = system.flatMap(element -> child(element, ns, "VirtualHardwareSection"));
            Optional<String> configuration = defaultConfiguration();
            Optional<Element> cpuItem = hardware.flatMap(element -> item(element, 3, configuration));
            Optional<Element> memoryItem = hardware.flatMap(element -> item(element, 4, configuration));
            OptionalLong cpus = cpuItem.flatMap(item -> cimChild(item, "VirtualQuantity")).map(Reader::number)
                    .orElse(OptionalLong.empty());
            Optional<String> quantity = memoryItem.flatMap(item -> cimChild(item, "VirtualQuantity"));
            Optional<String> units = memoryItem.flatMap(item -> cimChild(item, "AllocationUnits"));
            OptionalLong memoryBytes = quantity.isPresent() && units.isPresent()
                    ? AllocationUnits.bytes(quantity.get(), units.get()) : OptionalLong.empty();
            Optional<String> memory = quantity.map(q -> units.map(u -> q + " " + u).orElse(q));
            return new OvfDescriptor(ns, attribute(root, "version"), files, disks, systemId, name, osId, osType, cpus,
                    memoryBytes, memory, networks());
        }

        private List<FileRef> files() throws CorruptImage, LimitExceeded {
            List<FileRef> files = new ArrayList<>();
            Optional<Element> references = child(root, ns, "References");
            if (references.isEmpty()) {
                return files;
            }
            for (Element file : children(references.get(), ns, "File")) {
                if (files.size() >= MAX_FILES) {
                    throw new LimitExceeded(format, "OVF descriptor", hostOffset,
                            "more than %d files in References".formatted(MAX_FILES));
                }
                String id = attribute(file, "id").orElse("");
                String href = attribute(file, "href").orElseThrow(() -> new CorruptImage(format, "OVF descriptor",
                        hostOffset, "References/File '%s' has no ovf:href".formatted(TarIndex.shown(id))));
                String compression = attribute(file, "compression").map(value -> value.strip().toLowerCase(Locale.ROOT))
                        .filter(value -> !value.isEmpty() && !value.equals("identity")).orElse("none");
                files.add(new FileRef(id, href, attribute(file, "size").map(Reader::number).orElse(OptionalLong.empty()),
                        compression, attribute(file, "chunkSize").map(Reader::number).orElse(OptionalLong.empty())));
            }
            return files;
        }

        private List<Disk> disks() throws LimitExceeded {
            List<Disk> disks = new ArrayList<>();
            for (Element section : descendants(root, ns, "DiskSection")) {
                for (Element disk : children(section, ns, "Disk")) {
                    if (disks.size() >= MAX_DISKS) {
                        throw new LimitExceeded(format, "OVF descriptor", hostOffset,
                                "more than %d disks in DiskSection".formatted(MAX_DISKS));
                    }
                    String capacity = attribute(disk, "capacity").orElse("").strip();
                    String units = attribute(disk, "capacityAllocationUnits").orElse("byte").strip();
                    disks.add(new Disk(attribute(disk, "diskId").orElse(""), attribute(disk, "fileRef"), capacity,
                            units, AllocationUnits.bytes(capacity, units), attribute(disk, "format").orElse("").strip(),
                            attribute(disk, "populatedSize").map(Reader::number).orElse(OptionalLong.empty())));
                }
            }
            return disks;
        }

        private List<String> networks() {
            List<String> networks = new ArrayList<>();
            for (Element section : descendants(root, ns, "NetworkSection")) {
                for (Element network : children(section, ns, "Network")) {
                    attribute(network, "name").ifPresent(networks::add);
                }
            }
            return networks;
        }

        /** DeploymentOptionSection's default Configuration (or its first): the one whose hardware to show. */
        private Optional<String> defaultConfiguration() {
            Optional<Element> section = firstDescendant(root, ns, "DeploymentOptionSection");
            if (section.isEmpty()) {
                return Optional.empty();
            }
            List<Element> configurations = children(section.get(), ns, "Configuration");
            for (Element configuration : configurations) {
                if (attribute(configuration, "default").filter(value -> value.strip().equals("true")).isPresent()) {
                    return attribute(configuration, "id");
                }
            }
            return configurations.isEmpty() ? Optional.empty() : attribute(configurations.getFirst(), "id");
        }

        /**
         * The first Item of {@code resourceType} that applies to {@code configuration}: one without
         * {@code ovf:configuration}, or one that lists it; else the first of that type.
         */
        private Optional<Element> item(Element hardware, int resourceType, Optional<String> configuration) {
            Element fallback = null;
            for (Node node = hardware.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (!(node instanceof Element item) || !item.getLocalName().endsWith("Item")) {
                    continue;
                }
                OptionalLong type = cimChild(item, "ResourceType").map(Reader::number).orElse(OptionalLong.empty());
                if (type.isEmpty() || type.getAsLong() != resourceType) {
                    continue;
                }
                Optional<String> applies = attribute(item, "configuration");
                if (applies.isEmpty() || configuration.isPresent()
                        && List.of(applies.get().strip().split("\\s+")).contains(configuration.get())) {
                    return Optional.of(item);
                }
                fallback = fallback == null ? item : fallback;
            }
            return Optional.ofNullable(fallback);
        }

        private static Optional<String> cimChild(Element item, String local) {
            for (Node node = item.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && local.equals(element.getLocalName())) {
                    return Optional.of(text(element));
                }
            }
            return Optional.empty();
        }

        private static Optional<String> osType(Element section) {
            var attributes = section.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Node attribute = attributes.item(i);
                if ("osType".equals(attribute.getLocalName()) && !attribute.getNodeValue().isBlank()) {
                    return Optional.of(attribute.getNodeValue().strip());
                }
            }
            Optional<String> vbox = cimChild(section, "OSType").filter(text -> !text.isEmpty());
            if (vbox.isPresent()) {
                return vbox;
            }
            return cimChild(section, "Description").filter(text -> !text.isEmpty());
        }

        /** {@code ovf:NAME} in the envelope's namespace, or unqualified (some tools write it so). */
        private Optional<String> attribute(Element element, String local) {
            if (element.hasAttributeNS(ns, local)) {
                return Optional.of(element.getAttributeNS(ns, local));
            }
            return element.hasAttribute(local) ? Optional.of(element.getAttribute(local)) : Optional.empty();
        }

        private static Optional<Element> child(Element parent, String ns, String local) {
            List<Element> found = children(parent, ns, local);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }

        private static List<Element> children(Element parent, String ns, String local) {
            List<Element> found = new ArrayList<>();
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && local.equals(element.getLocalName())
                        && ns.equals(element.getNamespaceURI())) {
                    found.add(element);
                }
            }
            return found;
        }

        private static Optional<Element> firstDescendant(Element root, String ns, String local) {
            NodeList found = root.getElementsByTagNameNS(ns, local);
            return found.getLength() == 0 ? Optional.empty() : Optional.of((Element) found.item(0));
        }

        private static List<Element> descendants(Element root, String ns, String local) {
            NodeList found = root.getElementsByTagNameNS(ns, local);
            List<Element> elements = new ArrayList<>(found.getLength());
            for (int i = 0; i < found.getLength(); i++) {
                elements.add((Element) found.item(i));
            }
            return elements;
        }

        private static String text(Element element) {
            return element.getTextContent().strip();
        }

        /** A non-negative decimal number as written, or empty (a property reference such as {@code ${disk.size}}). */
        static OptionalLong number(String text) {
            String digits = text.strip();
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(digits));
        }
    }
}
