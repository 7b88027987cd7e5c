package org.disklens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qemu-img's own spelling of passphrases: {@code --object secret,id=ID,data=TEXT} (or {@code file=PATH}, with
 * {@code format=base64} decoded) and {@code --image-opts} option strings such as
 * {@code driver=qcow2,file.filename=X,encrypt.key-secret=ID}; refusals are said in qemu-img's words.
 */
final class QemuObjects {
    /** The secrets by id, in the order given; zeroed by {@link #close()}. */
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();

    /** An image named by an option string: its file, its driver (format) if given, the secret id it names. */
    record ImageSpec(String file, String driver, String keySecret) {
    }

    /** qemu's option syntax: {@code key=value} pairs separated by commas, a comma in a value doubled. */
    static List<String[]> split(String text) {
        List<String[]> pairs = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ',') {
                if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                    part.append(',');
                    i++;
                    continue;
                }
                String piece = part.toString();
                int equals = piece.indexOf('=');
                pairs.add(equals < 0 ? new String[] {piece, null} : new String[] {piece.substring(0, equals),
                        piece.substring(equals + 1)});
                part.setLength(0);
            } else {
                part.append(text.charAt(i));
            }
        }
        return pairs;
    }

    /** {@code --object TYPE,id=ID,…}: only secrets; anything else refused in one line, as qemu-img does. */
    void add(String text) throws Syntax.UsageError {
        List<String[]> pairs = split(text);
        String type = pairs.getFirst()[1] == null ? pairs.removeFirst()[0] : null;
        for (String[] pair : pairs) {
            if (pair[0].equals("qom-type")) {
                type = pair[1];
            }
        }
        if (type == null) {
            throw new Syntax.UsageError("--object: Parameter 'qom-type' is missing");
        }
        if (!type.equals("secret")) {
            throw new Syntax.UsageError(("--object: Parameter 'qom-type' does not accept value '%s'; "
                    + "DiskLens takes only secret objects").formatted(type));
        }
        String id = null;
        String data = null;
        String file = null;
        String format = "raw";
        for (String[] pair : pairs) {
            String key = pair[0];
            String value = pair[1] == null ? "" : pair[1];
            switch (key) {
                case "qom-type" -> { }
                case "id" -> id = value;
                case "data" -> data = value;
                case "file" -> file = value;
                case "format" -> format = value;
                default -> throw new Syntax.UsageError("--object: Parameter '%s' is unexpected".formatted(key));
            }
        }
        if (id == null) {
            throw new Syntax.UsageError("--object: Parameter 'id' is missing");
        }
        if (!format.equals("raw") && !format.equals("base64")) {
            throw new Syntax.UsageError("--object: Parameter 'format' does not accept value '%s'".formatted(format));
        }
        if ((data == null) == (file == null)) {
            throw new Syntax.UsageError(data == null ? "--object: Either 'file' or 'data' must be provided"
                    : "--object: 'data' and 'file' are mutually exclusive");
        }
        if (secrets.containsKey(id)) {
            throw new Syntax.UsageError("--object: attempt to add duplicate property '%s' to object (type 'container')"
                    .formatted(id));
        }
        byte[] bytes;
        if (data != null) {
            bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            try {
                bytes = Files.readAllBytes(Path.of(file));
            } catch (IOException | RuntimeException unreadable) {
                throw new Syntax.UsageError("--object: Unable to read %s: %s".formatted(file,
                        unreadable instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                                : String.valueOf(unreadable.getMessage())));
            }
        }
        if (format.equals("base64")) {
            try {
                byte[] decoded = Base64.getDecoder().decode(bytes);
                Arrays.fill(bytes, (byte) 0);
                bytes = decoded;
            } catch (IllegalArgumentException invalid) {
                Arrays.fill(bytes, (byte) 0);
                throw new Syntax.UsageError("--object: secret '%s': invalid base64 data".formatted(id));
            }
        }
        secrets.put(id, bytes);
    }

    boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** The secret named {@code id}, or qemu-img's "No secret with id". */
    byte[] secret(String id) throws IOException {
        byte[] bytes = secrets.get(id);
        if (bytes == null) {
            throw new IOException("No secret with id '%s'".formatted(id));
        }
        return bytes;
    }

    /**
     * An {@code --image-opts} option string: {@code driver}, {@code file.filename} (and {@code file.driver=file}),
     * {@code encrypt.key-secret} (qcow2) or {@code key-secret} (luks); other keys refused in qemu-img's words.
     */
    static ImageSpec image(String text) throws IOException {
        String driver = null;
        String file = null;
        String keySecret = null;
        String secretKey = null;
        for (String[] pair : split(text)) {
            String key = pair[0];
            if (pair[1] == null) {
                throw new IOException("Cannot find device='%s' nor node-name='%s'"
                        .formatted(key, key));
            }
            switch (key) {
                case "driver" -> driver = pair[1];
                case "file.filename" -> file = pair[1];
                case "file.driver" -> {
                    if (!pair[1].equals("file")) {
                        throw new IOException("Unknown protocol '%s' (DiskLens reads local files)"
                                .formatted(pair[1]));
                    }
                }
                case "encrypt.key-secret", "key-secret" -> {
                    keySecret = pair[1];
                    secretKey = key;
                }
                default -> throw new IOException(unsupported(text, driver, key));
            }
        }
        if (driver != null && org.disklens.image.ImageFormats.byName(driver).isEmpty()) {
            throw new IOException("Unknown driver '%s'".formatted(driver));
        }
        if (secretKey != null && driver != null
                && !(secretKey.equals("key-secret") ? driver.equals("luks") : driver.equals("qcow2"))) {
            throw new IOException(unsupported(text, driver, secretKey));
        }
        if (file == null) {
            throw new IOException("A block device must be specified for \"file\"");
        }
        return new ImageSpec(file, driver, keySecret);
    }

    private static String unsupported(String text, String driver, String key) {
        return driver == null ? "Invalid parameter '%s'".formatted(key)
                : "Block format '%s' does not support the option '%s'".formatted(driver, key);
    }

    /** Zeroes the secrets. */
    void close() {
        secrets.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }
}
