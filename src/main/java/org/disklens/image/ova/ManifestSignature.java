package org.disklens.image.ova;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OVF certificate file ({@code .cert}): a line {@code SHA256(name.mf)= <signature in hex>} and the signer's X.509
 * certificate in PEM. The signature is checked against the manifest's bytes with the certificate's public key
 * ({@code SHA256withRSA}, {@code …withECDSA}); whether the certificate itself is trusted (its chain, its dates) is
 * not judged: that is the importing hypervisor's policy.
 *
 * @param valid   the signature matches the manifest
 * @param message one line saying what was found
 */
record ManifestSignature(boolean valid, String message) {
    private static final Pattern SIGNATURE = Pattern.compile(
            "(?m)^[ \\t]*(SHA(?:1|224|256|384|512))[ \\t]*\\((.*)\\)[ \\t]*=[ \\t]*([0-9A-Fa-f]+)[ \\t\\r]*$");

    static ManifestSignature verify(byte[] certificateFile, byte[] manifest, String certificateName) {
        String text = new String(certificateFile, StandardCharsets.ISO_8859_1);
        Matcher line = SIGNATURE.matcher(text);
        if (!line.find()) {
            return new ManifestSignature(false, "certificate %s has no \"SHA256(file.mf)= signature\" line"
                    .formatted(certificateName));
        }
        String digest = line.group(1).toUpperCase(Locale.ROOT);
        String signed = line.group(2).strip();
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(line.group(3).length() % 2 == 0 ? line.group(3) : "0" + line.group(3));
        } catch (IllegalArgumentException notHex) {
            return new ManifestSignature(false, "certificate %s: the signature is not hex".formatted(certificateName));
        }
        int pem = text.indexOf("-----BEGIN CERTIFICATE-----");
        if (pem < 0) {
            return new ManifestSignature(false, "certificate %s holds no PEM certificate".formatted(certificateName));
        }
        try {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificateFile, pem, certificateFile.length - pem)));
            if (certificates.isEmpty() || !(certificates.getFirst() instanceof X509Certificate signer)) {
                return new ManifestSignature(false, "certificate %s holds no X.509 certificate".formatted(certificateName));
            }
            String key = signer.getPublicKey().getAlgorithm();
            Signature verifier = Signature.getInstance(digest + "with" + (key.equals("EC") ? "ECDSA" : key));
            verifier.initVerify(signer.getPublicKey());
            verifier.update(manifest);
            if (!verifier.verify(signature)) {
                return new ManifestSignature(false, ("certificate %s: the %s signature of %s does not match the manifest "
                        + "(it was changed after signing, or signed with another key)").formatted(certificateName,
                        digest, TarIndex.shown(signed)));
            }
            return new ManifestSignature(true, ("certificate %s: the %s signature of %s is valid, by %s (whether that "
                    + "certificate is trusted is not checked)").formatted(certificateName, digest, TarIndex.shown(signed),
                    TarIndex.shown(signer.getSubjectX500Principal().getName())));
        } catch (GeneralSecurityException | RuntimeException unreadable) {
            return new ManifestSignature(false, "certificate %s cannot be verified: %s".formatted(certificateName,
                    TarIndex.shown(String.valueOf(unreadable.getMessage()))));
        }
    }
}
