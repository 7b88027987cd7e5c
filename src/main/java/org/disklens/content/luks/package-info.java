/**
 * LUKS1 and LUKS2 volumes inside guest disks (a partition, an LVM logical volume, a whole disk). {@link
 * org.disklens.content.luks.LuksType} recognises one by its magic and answers as blkid does ({@code crypto_LUKS},
 * label, UUID); as a {@link org.disklens.content.VolumeContainer} it makes each LUKS volume a group of its own:
 * <ul>
 *   <li>kind {@code luks} (the field {@code info --json} shows beside a partition, as it shows {@code lvm}), facts
 *       {@code version}, {@code uuid}, {@code cipher} ({@code aes-xts-plain64}), {@code key-size} (bits),
 *       {@code keyslots} (how many are in use), {@code tokens} (their types) and {@code unlocked};</li>
 *   <li>its member: the volume it sits in; one inner volume {@code luks-UUID} ({@code -m luks-UUID}, description
 *       {@code LUKS volume UUID}), the decrypted payload ({@link org.disklens.crypto.DecryptingBlockSource}), probed
 *       like a partition, so ext4, XFS, an LVM PV (whose volume group {@link org.disklens.content.DiskLayout#groups}
 *       then opens one level further down) work inside it.</li>
 * </ul>
 * The passphrases come through {@link org.disklens.content.VolumeContainer#open(java.util.List,
 * org.disklens.crypto.Passphrases)} (the one-argument {@code open} leaves every volume locked). A volume that stays
 * locked has its inner volume {@code unreadable} with the reason: {@code locked: give --passphrase-file} when there
 * is no passphrase (naming its tokens when it has some), {@code no key slot opens with this passphrase} for a wrong
 * one, or the header's refusal (a cipher, a key derivation over the limits, damage). The commands turn a passphrase
 * that opens none of the disk's LUKS volumes into an error ({@link org.disklens.crypto.Passphrases#requireOpened()}).
 *
 * <p>Free space: a LUKS volume's own space is never free (without the key nothing tells which ciphertext the file
 * system inside leaves unused); the file system inside an unlocked volume reports its free space like any other,
 * placed on the guest disk through the payload's offset (the ciphertext there is what a sparsified copy leaves out).
 *
 * <p>Not here: qcow2's LUKS encryption and qemu's raw {@code luks} image format (an image format, not a volume inside
 * a disk).
 */
package org.disklens.content.luks;
