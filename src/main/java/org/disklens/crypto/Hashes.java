package org.disklens.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import org.disklens.image.UnsupportedFeature;

/**
 * The hashes LUKS headers name ({@code sha1}, {@code sha256}, {@code sha512}, and {@code sha224}/{@code sha384}) as the
 * JDK's digests and HMACs. Others that cryptsetup knows ({@code ripemd160}, {@code whirlpool}, {@code stribog},
 * {@code sm3}, BLAKE2) are refused by name.
 */
final class Hashes {
    private static final Map<String, String> DIGESTS = Map.of("sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256",
            "sha384", "SHA-384", "sha512", "SHA-512");
    private static final Map<String, String> MACS = Map.of("sha1", "HmacSHA1", "sha224", "HmacSHA224", "sha256",
            "HmacSHA256", "sha384", "HmacSHA384", "sha512", "HmacSHA512");

    private Hashes() {
    }

    /** Whether {@code name} (as a LUKS header spells it) is a hash DiskLens computes. */
    static boolean known(String name) {
        return DIGESTS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    static MessageDigest digest(String name) throws UnsupportedFeature {
        String jdk = DIGESTS.get(name.toLowerCase(Locale.ROOT));
        if (jdk == null) {
            throw unsupported(name);
        }
        try {
            return MessageDigest.getInstance(jdk);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("the JDK lacks " + jdk, missing);
        }
    }

    static Mac mac(String name) throws UnsupportedFeature {
        String jdk = MACS.get(name.toLowerCase(Locale.ROOT));
        if (jdk == null) {
            throw unsupported(name);
        }
        try {
            return Mac.getInstance(jdk);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("the JDK lacks " + jdk, missing);
        }
    }

    static String macAlgorithm(String name) throws UnsupportedFeature {
        String jdk = MACS.get(name.toLowerCase(Locale.ROOT));
        if (jdk == null) {
            throw unsupported(name);
        }
        return jdk;
    }

    private static UnsupportedFeature unsupported(String name) {
        return new UnsupportedFeature("hash '%s' is not supported (DiskLens computes sha1, sha224, sha256, sha384, sha512)"
                .formatted(printable(name)));
    }

    /** A header's text as it may be shown in a message: printable ASCII, at most 40 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 40; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.length() < text.length() ? out + "…" : out.toString();
    }
}
