package org.disklens.gui.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.disklens.crypto.Passphrase;

/**
 * A question the window puts to the user while an image is read: the passphrase of something encrypted ({@link #what()},
 * as {@code LUKS2 volume on Partition 3 (UUID …)}). The view shows it and answers with {@link #unlock} or {@link #skip};
 * the background work that asked waits for the answer. Answering twice changes nothing.
 */
public final class PassphraseRequest {
    /** How many passphrases are tried for one volume before it stays locked. */
    public static final int MAX_TRIES = 3;

    private final String what;
    private final int attempt;
    private final String problem;
    private final CompletableFuture<Optional<Passphrase>> answer = new CompletableFuture<>();

    PassphraseRequest(String what, int attempt, String problem) {
        this.what = what;
        this.attempt = attempt;
        this.problem = problem;
    }

    /** What is locked, in the engine's words. */
    public String what() {
        return what;
    }

    /** "Passphrase for LUKS2 volume on Partition 3 (UUID …)". */
    public String prompt() {
        return "Passphrase for " + what;
    }

    /** 1 for the first try, up to {@link #MAX_TRIES}. */
    public int attempt() {
        return attempt;
    }

    /** Why it is asked again ("Wrong passphrase …"), empty on the first try. */
    public String problem() {
        return problem;
    }

    /** Unlocks with the characters typed (taken as UTF-8); they are zeroed here, whatever happens. */
    public void unlock(char[] typed) {
        try {
            if (typed.length == 0) {
                skip();
                return;
            }
            answer.complete(Optional.of(utf8(typed)));
        } catch (CharacterCodingException unencodable) {
            answer.complete(Optional.empty());
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /** Leaves it locked. */
    public void skip() {
        answer.complete(Optional.empty());
    }

    public boolean isAnswered() {
        return answer.isDone();
    }

    CompletableFuture<Optional<Passphrase>> answer() {
        return answer;
    }

    private static Passphrase utf8(char[] typed) throws CharacterCodingException {
        ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(typed));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return new Passphrase(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PassphraseRequest[" + what + ", attempt " + attempt + "]";
    }
}
