/**
 * Decryption for encrypted volumes and images: sector ciphers, key derivation, and LUKS1/LUKS2 headers and key slots; and
 * {@link org.disklens.crypto.Luks1Writer}, which makes a new LUKS1 header as qemu's {@code crypto/block-luks} does (for
 * {@code -O luks} and qcow2 {@code encrypt.format=luks} outputs). A low layer: it uses only the JDK's {@code javax.crypto} (AES, HMAC, digests), Bouncy Castle's
 * {@code Argon2BytesGenerator} (nothing else from it), Jackson for the LUKS2 JSON area, {@code org.disklens.io} and
 * the {@code image} exceptions; never {@code content}, {@code cli} or {@code gui}.
 *
 * <h2>Sources of the facts</h2>
 * IEEE 1619-2007 (XTS-AES: key split in two halves, tweak = the data unit's number little-endian, multiplication by
 * α in GF(2^128)); the "LUKS On-Disk Format Specification" 1.2.3 (LUKS1: 592-byte big-endian header, 8 key slots,
 * AF splitter with the hash's diffuse function, PBKDF2 digest of the master key); the "LUKS2 On-Disk Format
 * Specification" (two binary headers with SHA-256 checksums, JSON area: {@code keyslots}, {@code segments},
 * {@code digests}, {@code tokens}, {@code config}); dm-crypt's IV generators ({@code plain}: low 32 bits of the
 * sector, {@code plain64}, {@code essiv:sha256}: AES with key SHA-256(volume key) of the sector number); RFC 8018
 * (PBKDF2), RFC 9106 (Argon2). No code was taken from cryptsetup, qemu or other projects.
 *
 * <h2>What is checked against what</h2>
 * {@link org.disklens.crypto.Xts}: IEEE 1619 vectors and {@code openssl enc -aes-*-xts}; {@link org.disklens.crypto.Cbc}:
 * {@code openssl enc -aes-*-cbc}; {@link org.disklens.crypto.Pbkdf2}: {@code openssl kdf}; LUKS headers and unlocking:
 * {@code cryptsetup luksFormat} on plain files, the volume key compared with {@code luksDump --dump-volume-key}
 * ({@code --dump-master-key} for LUKS1), and payloads encrypted by {@code cryptsetup reencrypt --encrypt} decrypted
 * back to the original (512- and 4096-byte sectors).
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Ciphers: {@code aes-xts-plain64} (and {@code -plain}) with 256- or 512-bit keys, {@code aes-cbc-essiv:sha256},
 *       {@code aes-cbc-plain64}, {@code aes-cbc-plain} with 128- or 256-bit keys; anything else, authenticated
 *       encryption (dm-integrity), a reencryption in progress and detached headers are refused by name.</li>
 *   <li>IVs count 512-byte sectors from the payload's start plus LUKS2's {@code iv_tweak}, even with a
 *       {@code sector_size} of 4096 (as dm-crypt does for LUKS2: sector 1 of 4096 bytes has IV 8).</li>
 *   <li>A header is unlocked once per {@link org.disklens.crypto.Passphrases} (the key or the refusal is remembered by
 *       the header's fingerprint), so a command that reads a disk's layout several times derives each key once and
 *       prompts once; {@link org.disklens.crypto.Passphrases#close()} zeroes the keys, {@link
 *       org.disklens.crypto.Passphrase#close()} the passphrase bytes.</li>
 *   <li>{@code --passphrase-file}: the file's bytes less one trailing newline ({@code \n} or {@code \r\n}), as a
 *       passphrase typed at cryptsetup's prompt; when there was such a newline the bytes as they are
 *       ({@code cryptsetup --key-file}) are tried second. A passphrase typed at the prompt is encoded as UTF-8.</li>
 *   <li>A passphrase that opens no key slot is {@link org.disklens.crypto.WrongPassphrase}: "no key slot opens with
 *       this passphrase". Passphrases and keys are never in a message or {@code toString}.</li>
 *   <li>New headers ({@link org.disklens.crypto.Luks1Writer}): qemu's defaults and layout (aes-256-xts-plain64, sha256,
 *       key slot 0 of 8, 4000 stripes, areas from sector 8 rounded to 8 sectors), PBKDF2 counts calibrated to
 *       {@code iter-time} ms as qemu calibrates them (the master key digest an eighth, at least 1000 each). Checked by
 *       {@code cryptsetup luksDump --dump-master-key} and qemu's {@code luks} driver reading a payload encrypted with
 *       the key.</li>
 *   <li>The decrypted payload reports every byte as data: a hole in the ciphertext decrypts to noise, not zeroes.</li>
 * </ul>
 *
 * <h2>Limits (errors naming the format, structure and offset; never an out-of-memory or a hang)</h2>
 * LUKS2 header (binary and JSON area) at most 4 MiB, as LUKS2 allows; JSON nesting at most 64 deep; AF stripes at most
 * 65,536 (cryptsetup writes 4000); key slot areas inside the volume; PBKDF2 iterations at most 100,000,000 and
 * Argon2 time cost at most 1,000 ("it would run for hours"); Argon2 memory at most 1 GiB (and no more than the Java
 * process has free); volume keys of the sizes the cipher takes. Tokens ({@code systemd-tpm2}, {@code fido2}, …) are
 * listed by type; DiskLens unlocks with passphrases only. {@link org.disklens.crypto.KdfLimits#FUZZ} caps the costs
 * small for the fuzz tests.
 */
package org.disklens.crypto;
