package org.disklens.crypto;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.disklens.image.ImageException;

/**
 * Where the passphrases of encrypted volumes come from, for one command (or one opened image in the GUI):
 * {@link #NONE}, a file ({@code --passphrase-file}), or a prompt on the terminal. Asked with what is locked
 * ({@code LUKS2 volume on Partition 3 (UUID …)}), it answers a fresh {@link Passphrase} that the caller closes.
 *
 * <p>It also remembers, per volume header, what unlocking found (the volume key, or why none): a command that looks
 * at a disk's layout several times derives each key once and prompts once. {@link #close()} zeroes all of it.
 */
public abstract class Passphrases implements AutoCloseable {
    /** No passphrases: every encrypted volume stays locked. */
    public static final Passphrases NONE = new Passphrases() {
        @Override
        public Optional<Passphrase> passphraseFor(String what) {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "Passphrases.NONE";
        }
    };

    /** What unlocking a header (by its fingerprint) gave: a key, or the refusal. */
    record Outcome(Optional<VolumeKey> key, Optional<ImageException> failure) {
    }

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    protected Passphrases() {
    }

    /** The passphrase for {@code what}, if there is one: a new object each time, closed by the caller. */
    public abstract Optional<Passphrase> passphraseFor(String what) throws IOException;

    /**
     * The passphrases to try for {@code what}, in order: {@link #passphraseFor}'s, and for a file, possibly its bytes as
     * they are too. Each is closed by the caller.
     */
    public List<Passphrase> candidatesFor(String what) throws IOException {
        return passphraseFor(what).map(List::of).orElse(List.of());
    }

    /** The same passphrase for everything (tests; the GUI's passphrase field). */
    public static Passphrases of(byte[] passphrase) {
        return new Fixed(List.of(new Passphrase(passphrase)));
    }

    /**
     * The passphrase in {@code file}: its bytes minus one trailing newline ({@code \n} or {@code \r\n}), as a passphrase
     * typed at cryptsetup's prompt is taken. When the file does end in a newline, its bytes as they are (what
     * {@code cryptsetup --key-file} takes) are tried second, so a file made either way opens the volume.
     */
    public static Passphrases fromFile(Path file) throws IOException {
        byte[] bytes = Passphrase.readFile(file);
        try {
            Passphrase typed = Passphrase.withoutTrailingNewline(bytes);
            List<Passphrase> candidates = new ArrayList<>();
            candidates.add(typed);
            if (typed.length() < bytes.length) {
                candidates.add(new Passphrase(bytes));
            }
            return new Fixed(candidates);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Asks on the terminal without echo: {@code Passphrase for <what>: }; an empty answer (or end of input) is no
     * passphrase. The characters typed are encoded as UTF-8.
     */
    public static Passphrases prompting(Console console) {
        return new Passphrases() {
            @Override
            public Optional<Passphrase> passphraseFor(String what) throws IOException {
                char[] typed = console.readPassword("Passphrase for %s: ", what);
                if (typed == null || typed.length == 0) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(utf8(typed));
                } finally {
                    Arrays.fill(typed, '\0');
                }
            }

            @Override
            public String toString() {
                return "Passphrases.prompting";
            }
        };
    }

    private static Passphrase utf8(char[] typed) throws CharacterCodingException {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded = encoder.encode(CharBuffer.wrap(typed));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return new Passphrase(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** What unlocking the header with fingerprint {@code header} gave before, if it was tried. */
    Optional<Outcome> outcome(String header) {
        return Optional.ofNullable(outcomes.get(header));
    }

    void remember(String header, Outcome outcome) {
        outcomes.put(header, outcome);
    }

    /**
     * Fails when passphrases were tried on encrypted volumes and opened none of them: the first refusal (a wrong
     * passphrase: {@link WrongPassphrase}). Commands call it once they have looked at the disk, so that a wrong
     * passphrase is an error rather than a disk whose encrypted volumes silently stay locked.
     */
    public void requireOpened() throws ImageException {
        List<Outcome> tried = List.copyOf(outcomes.values());
        if (!tried.isEmpty() && tried.stream().allMatch(outcome -> outcome.key().isEmpty())) {
            throw tried.stream().flatMap(outcome -> outcome.failure().stream()).filter(WrongPassphrase.class::isInstance)
                    .findFirst().or(() -> tried.stream().flatMap(outcome -> outcome.failure().stream()).findFirst())
                    .orElseGet(WrongPassphrase::new);
        }
    }

    /** Zeroes the keys unlocked so far (and, for fixed passphrases, the passphrases). */
    @Override
    public void close() {
        for (Outcome outcome : outcomes.values()) {
            outcome.key().ifPresent(VolumeKey::close);
        }
        outcomes.clear();
    }

    @Override
    public String toString() {
        return "Passphrases[hidden]";
    }

    /** The same candidates for every volume. */
    private static final class Fixed extends Passphrases {
        private final List<Passphrase> candidates;

        Fixed(List<Passphrase> candidates) {
            this.candidates = candidates;
        }

        @Override
        public Optional<Passphrase> passphraseFor(String what) {
            return Optional.of(candidates.getFirst().copy());
        }

        @Override
        public List<Passphrase> candidatesFor(String what) {
            return candidates.stream().map(Passphrase::copy).toList();
        }

        @Override
        public void close() {
            super.close();
            candidates.forEach(Passphrase::close);
        }
    }
}
