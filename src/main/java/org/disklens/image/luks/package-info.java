/**
 * qemu's {@code luks} image format: a file that is a LUKS1 volume, its payload the guest disk. Read, and written by
 * {@code convert -O luks --target-passphrase-file FILE}.
 *
 * <h2>Layout (LUKS On-Disk Format Specification 1.2.3, as qemu's {@code crypto/block-luks} writes it)</h2>
 * A 592-byte big-endian header ({@code LUKS\xba\xbe}, version 1, cipher name and mode, hash, payload offset in
 * 512-byte sectors, key bytes, master key digest, salt and iterations, UUID, 8 key slots of 48 bytes), the key
 * material of each slot (AF-split, 4000 stripes), then the payload from the payload offset to the end of the file.
 * qemu-img creates it with {@code -f luks -o key-secret=ID}: aes-256-xts-plain64, sha256 by default; cbc, essiv:sha256
 * and plain IVs, aes-128 too.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Probe: the LUKS magic with version 1 at offset 0 scores 100. A LUKS2 file stays raw, and so does a LUKS volume
 *       inside a disk: the content layer unlocks those ({@code content/luks}).</li>
 *   <li>Virtual size: the file's size less the payload offset, in whole 512-byte sectors (qemu's for the files it
 *       makes). Sector {@code n} of the guest has IV {@code n}: qemu's block/crypto driver counts from the payload's
 *       start.</li>
 *   <li>Every guest byte maps as {@code Encrypted} (data, no host offset), as {@code qemu-img map} reports it; the
 *       key is unlocked when data is first read, with {@code --passphrase-file} (or a prompt): without one, reading is
 *       refused with one line; a wrong one is "no key slot opens with this passphrase".</li>
 *   <li>{@code info} shows qemu-img's {@code format-specific.data} (cipher, modes, slots, offsets); {@code check} has
 *       no check, as qemu-img has none for luks (exit 63).</li>
 *   <li>Unlocking and limits are {@code org.disklens.crypto}'s: PBKDF2 iterations, stripes and key material bounds are
 *       checked there.</li>
 *   <li>Writing ({@code -O luks}): the header from {@link org.disklens.crypto.Luks1Writer} (qemu's layout and defaults;
 *       qemu-img's options {@code cipher-alg}, {@code cipher-mode}, {@code ivgen-alg}, {@code ivgen-hash-alg},
 *       {@code hash-alg}, {@code iter-time}; the command line maps {@code key-secret} and a qemu {@code --object secret} to the
 *       passphrase {@code --target-passphrase-file} gives), then
 *       every sector of the disk encrypted with IV = its guest sector number (zero sectors too: they are not zero in the
 *       file). No passphrase, no output: refused in one line before anything is written. {@code measure}: the payload
 *       offset plus the disk in whole sectors, required and fully allocated alike, as qemu-img answers.</li>
 * </ul>
 */
package org.disklens.image.luks;
