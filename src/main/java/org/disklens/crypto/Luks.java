package org.disklens.crypto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * Opening a LUKS volume: its header, its volume key from the passphrases (each header unlocked once per
 * {@link Passphrases}), and its decrypted payload as a {@link BlockSource}.
 */
public final class Luks {
    private Luks() {
    }

    /** The LUKS1 or LUKS2 header at the start of {@code volume}. */
    public static LuksHeader header(BlockSource volume) throws IOException {
        return LuksHeader.read(volume);
    }

    /**
     * The volume key of {@code header}, from the passphrases {@code passphrases} has for {@code what} (how the volume is
     * named to the user: {@code LUKS2 volume on Partition 3 (UUID …)}); empty when there is none (the volume stays
     * locked). Throws the header's {@link LuksHeader#refusal() refusal}, {@link WrongPassphrase} when no key slot opens,
     * or the refusal of a key slot that could not be tried (its KDF over {@code limits}, damage). The key returned is
     * the caller's to close.
     */
    public static Optional<VolumeKey> unlock(LuksHeader header, BlockSource volume, Passphrases passphrases, String what,
                                             KdfLimits limits) throws IOException {
        if (header.refusal().isPresent()) {
            throw header.refusal().get();
        }
        Optional<Passphrases.Outcome> known = passphrases.outcome(header.fingerprint());
        if (known.isPresent()) {
            return answer(known.get());
        }
        List<Passphrase> candidates = passphrases.candidatesFor(what);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        List<ImageException> refusals = new ArrayList<>();
        try {
            for (Passphrase candidate : candidates) {
                try {
                    VolumeKey key = header.unlock(volume, candidate, limits);
                    passphrases.remember(header.fingerprint(), new Passphrases.Outcome(Optional.of(key), Optional.empty()));
                    return Optional.of(key.copy());
                } catch (WrongPassphrase wrong) {
                    // The next candidate may open it.
                } catch (ImageException refused) {
                    refusals.add(refused);
                }
            }
        } finally {
            candidates.forEach(Passphrase::close);
        }
        ImageException failure = refusals.isEmpty() ? new WrongPassphrase() : refusals.getFirst();
        passphrases.remember(header.fingerprint(), new Passphrases.Outcome(Optional.empty(), Optional.of(failure)));
        throw failure;
    }

    private static Optional<VolumeKey> answer(Passphrases.Outcome outcome) throws ImageException {
        if (outcome.failure().isPresent()) {
            throw outcome.failure().get();
        }
        return outcome.key().map(VolumeKey::copy);
    }

    /**
     * The plaintext of {@code volume}'s payload, decrypted with {@code key}: {@link LuksHeader#payloadLength} bytes,
     * named {@code name}. The key is copied; the caller may close its own.
     */
    public static DecryptingBlockSource payload(LuksHeader header, BlockSource volume, VolumeKey key, String name)
            throws IOException {
        long length = header.payloadLength(volume.size());
        byte[] bytes = key.bytes();
        try {
            SectorCipher cipher = SectorCipher.of(header.cipher(), bytes);
            return new DecryptingBlockSource(name, new SliceBlockSource(volume, header.payloadOffset(), length), cipher,
                    header.sectorSize(), header.ivOffset(), header.largeIv());
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
