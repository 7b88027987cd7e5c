package org.disklens.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSL as the reference for the crypto tests: {@code openssl enc} (AES-ECB, AES-CBC), {@code openssl kdf}
 * (PBKDF2) and {@code openssl dgst}. OpenSSL 3's {@code enc} refuses XTS ciphers ("enc XTS ciphers not supported"),
 * so XTS is compared with OpenSSL's {@code EVP_aes_*_xts} through python3-cryptography, which calls it; tests skip
 * visibly where either is missing.
 */
final class CryptoTools {
    private static final HexFormat HEX = HexFormat.of();

    private CryptoTools() {
    }

    static void requireOpenSsl() {
        Tools.require("openssl");
    }

    /** The python interpreter itself (not a pyenv shim, slow to start), found once. */
    private static String python;

    static synchronized void requireOpenSslXts(Path dir) {
        Tools.require("python3");
        if (python == null) {
            Tools.Result probe = Tools.exec(dir, "python3", "-c", "import sys; "
                    + "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes; modes.XTS(bytes(16)); "
                    + "print(sys.executable)");
            Assumptions.assumeTrue(probe.exitCode() == 0, "python3-cryptography (OpenSSL's XTS) is not installed");
            python = probe.out().strip();
        }
    }

    /** {@code openssl enc -CIPHER -nopad -K key -iv iv [-d]} over {@code data}. */
    static byte[] enc(Path dir, String cipher, byte[] key, byte[] iv, byte[] data, boolean decrypt) {
        List<String> command = new ArrayList<>(List.of("openssl", "enc", "-" + cipher, "-nopad", "-K", HEX.formatHex(key)));
        if (iv != null) {
            command.addAll(List.of("-iv", HEX.formatHex(iv)));
        }
        if (decrypt) {
            command.add("-d");
        }
        return throughFiles(dir, data, command);
    }

    /**
     * OpenSSL's XTS (EVP_aes_128_xts / EVP_aes_256_xts) in one run: {@code plaintexts} encrypted and {@code ciphertexts}
     * decrypted, unit {@code i} of each ({@code unitSize} bytes) with data unit number {@code units[i]} as its tweak (16
     * bytes, little-endian). Returns the encryptions followed by the decryptions.
     */
    static byte[] xts(Path dir, byte[] key, int unitSize, long[] units, byte[] plaintexts, byte[] ciphertexts) {
        String script = """
                import sys
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
                key, size, units = bytes.fromhex(sys.argv[1]), int(sys.argv[2]), [int(u) for u in sys.argv[3].split(',')]
                data = open(sys.argv[4], 'rb').read()
                out = []
                for direction in ('encrypt', 'decrypt'):
                    for i, unit in enumerate(units):
                        cipher = Cipher(algorithms.AES(key), modes.XTS(unit.to_bytes(16, 'little')))
                        worker = cipher.encryptor() if direction == 'encrypt' else cipher.decryptor()
                        at = (0 if direction == 'encrypt' else len(units)) * size + i * size
                        out.append(worker.update(data[at:at + size]) + worker.finalize())
                open(sys.argv[5], 'wb').write(b''.join(out))
                """;
        StringBuilder list = new StringBuilder();
        for (long unit : units) {
            list.append(list.isEmpty() ? "" : ",").append(Long.toUnsignedString(unit));
        }
        byte[] input = new byte[plaintexts.length + ciphertexts.length];
        System.arraycopy(plaintexts, 0, input, 0, plaintexts.length);
        System.arraycopy(ciphertexts, 0, input, plaintexts.length, ciphertexts.length);
        return throughFiles(dir, input, List.of(python, "-c", script, HEX.formatHex(key), Integer.toString(unitSize),
                list.toString(), "{in}", "{out}"));
    }

    /** {@code openssl kdf ... PBKDF2}: {@code length} bytes. */
    static byte[] pbkdf2(Path dir, String digest, byte[] password, byte[] salt, long iterations, int length) {
        return throughFiles(dir, new byte[0], List.of("openssl", "kdf", "-binary", "-keylen", Integer.toString(length),
                "-kdfopt", "digest:" + digest, "-kdfopt", "hexpass:" + HEX.formatHex(password), "-kdfopt",
                "hexsalt:" + HEX.formatHex(salt), "-kdfopt", "iter:" + iterations, "PBKDF2"));
    }

    /** {@code openssl dgst -sha256 -binary}. */
    static byte[] sha256(Path dir, byte[] data) {
        return throughFiles(dir, data, List.of("openssl", "dgst", "-sha256", "-binary", "-out", "{out}", "{in}"));
    }

    /**
     * Runs {@code command} with {@code data} as its input file and returns its output file: {@code {in}} and
     * {@code {out}} in the command are those files' paths, else they are given as {@code -in}/{@code -out}.
     */
    private static byte[] throughFiles(Path dir, byte[] data, List<String> command) {
        try {
            Path in = Files.createTempFile(dir, "in", ".bin");
            Path out = Files.createTempFile(dir, "out", ".bin");
            try {
                Files.write(in, data);
                List<String> line = new ArrayList<>();
                boolean placed = false;
                for (String part : command) {
                    placed |= part.equals("{in}");
                    line.add(part.replace("{in}", in.toString()).replace("{out}", out.toString()));
                }
                if (!placed) {
                    if (command.get(1).equals("kdf")) {
                        line.addAll(1 + 1, List.of("-out", out.toString()));
                    } else {
                        line.addAll(List.of("-in", in.toString(), "-out", out.toString()));
                    }
                }
                Tools.run(dir, line.toArray(String[]::new));
                return Files.readAllBytes(out);
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String text) {
        return HEX.parseHex(text);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
