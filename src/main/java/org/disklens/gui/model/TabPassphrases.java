package org.disklens.gui.model;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.disklens.crypto.Passphrase;
import org.disklens.crypto.Passphrases;
import org.disklens.crypto.WrongPassphrase;
import org.disklens.gui.task.TaskRunner;

/**
 * The passphrases of one tab: asked of the user (a {@link PassphraseRequest} handed to the view on the FX thread, while
 * the background work that needs it waits), remembered while the tab is open, zeroed by {@link #close()} when it closes.
 * A wrong passphrase is asked again, at most {@link PassphraseRequest#MAX_TRIES} times in all; a skipped volume stays
 * locked until the image is reloaded. Never asks on the FX thread (it would wait on itself): there it answers none.
 */
final class TabPassphrases extends Passphrases {
    /** Why a volume stays locked after it was skipped. */
    static final String SKIPPED = "locked: its passphrase was skipped (Reload to type it)";
    /** Why it stays locked after every try was wrong. */
    static final String WRONG = "locked: " + WrongPassphrase.MESSAGE + " (%d tries; Reload to try again)"
            .formatted(PassphraseRequest.MAX_TRIES);

    private final TaskRunner runner;
    private final Consumer<PassphraseRequest> ask;
    /** The passphrase typed for each volume, tried first when it is read again. */
    private final Map<String, Passphrase> typed = new LinkedHashMap<>();
    /** What stays locked, and why. */
    private final Map<String, String> locked = new LinkedHashMap<>();
    private PassphraseRequest pending;
    private boolean closed;

    /** {@code ask} gets each request on the runner's owner thread (the FX thread), and null once it is answered. */
    TabPassphrases(TaskRunner runner, Consumer<PassphraseRequest> ask) {
        this.runner = runner;
        this.ask = ask;
    }

    @Override
    public Optional<Passphrase> passphraseFor(String what) {
        List<Passphrase> candidates = candidatesFor(what);
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.getFirst());
    }

    /**
     * The passphrases for {@code what}, asked one at a time as they are tried: the engine takes the next only when the
     * one before opened no key slot, so asking for a next one is asking again after a wrong passphrase.
     */
    @Override
    public List<Passphrase> candidatesFor(String what) {
        return new Attempts(what);
    }

    /** What stays locked in this tab, and why, in the order it was met. */
    synchronized Map<String, String> locked() {
        return Map.copyOf(new LinkedHashMap<>(locked));
    }

    /** Forgets what was skipped: reading the image again asks again. */
    synchronized void forgetRefusals() {
        locked.clear();
    }

    /** Whether a volume stays locked because every passphrase tried was wrong (the engine remembers that refusal). */
    synchronized boolean gaveUp() {
        return locked.containsValue(WRONG);
    }

    /**
     * New passphrases for the same tab, knowing none of the refusals (so everything locked is asked again), but with
     * the passphrases that were typed; this one is then to be closed.
     */
    synchronized TabPassphrases renewed() {
        TabPassphrases fresh = new TabPassphrases(runner, ask);
        typed.forEach((what, passphrase) -> fresh.typed.put(what, passphrase.copy()));
        return fresh;
    }

    /** Zeroes the passphrases typed and the keys they unlocked; a question still open is answered with none. */
    @Override
    public void close() {
        PassphraseRequest open;
        synchronized (this) {
            closed = true;
            typed.values().forEach(Passphrase::close);
            typed.clear();
            locked.clear();
            open = pending;
        }
        if (open != null) {
            open.skip();
        }
        super.close();
    }

    /** The passphrase for try {@code tries + 1} of {@code what}; empty when the user skips or it may not be asked. */
    private synchronized Optional<Passphrase> next(String what, int tries) {
        if (javafx.application.Platform.isFxApplicationThread()) {
            return Optional.empty();
        }
        // One question at a time: another volume's (or this one's, asked by other work) comes first.
        while (pending != null && !closed) {
            try {
                wait(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        if (closed) {
            return Optional.empty();
        }
        if (tries == 0) {
            if (typed.containsKey(what)) {
                return Optional.of(typed.get(what).copy());
            }
            if (locked.containsKey(what)) {
                return Optional.empty();
            }
        } else {
            Passphrase wrong = typed.remove(what);
            if (wrong != null) {
                wrong.close();
            }
        }
        if (tries >= PassphraseRequest.MAX_TRIES) {
            locked.put(what, WRONG);
            return Optional.empty();
        }
        PassphraseRequest request = new PassphraseRequest(what, tries + 1, tries == 0 ? ""
                : "Wrong passphrase: " + WrongPassphrase.MESSAGE + ". Try %d of %d.".formatted(tries + 1,
                        PassphraseRequest.MAX_TRIES));
        pending = request;
        runner.onOwnerThread(() -> ask.accept(request));
        Optional<Passphrase> answer = await(request);
        pending = null;
        notifyAll();
        runner.onOwnerThread(() -> ask.accept(null));
        if (closed) {
            answer.ifPresent(Passphrase::close);
            return Optional.empty();
        }
        if (answer.isEmpty()) {
            locked.put(what, SKIPPED);
            return Optional.empty();
        }
        locked.remove(what);
        typed.put(what, answer.get().copy());
        return answer;
    }

    /** Waits for the user (the worker thread waits, never the FX thread); closing the tab answers none. */
    private Optional<Passphrase> await(PassphraseRequest request) {
        while (true) {
            try {
                if (request.isAnswered() || closed) {
                    request.skip();
                    return request.answer().get(0, TimeUnit.MILLISECONDS);
                }
                // Waiting without the lock, so that close() can answer.
                wait(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                request.skip();
                return Optional.empty();
            } catch (ExecutionException | TimeoutException | CancellationException impossible) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "TabPassphrases[hidden]";
    }

    /** The passphrases for one volume, fetched from the user as the engine iterates. */
    private final class Attempts extends AbstractList<Passphrase> {
        private final String what;
        private final List<Passphrase> given = new ArrayList<>();
        private boolean over;

        Attempts(String what) {
            this.what = what;
        }

        private boolean fetch() {
            if (over) {
                return false;
            }
            Optional<Passphrase> passphrase = next(what, given.size());
            if (passphrase.isEmpty()) {
                over = true;
                return false;
            }
            given.add(passphrase.get());
            return true;
        }

        @Override
        public boolean isEmpty() {
            return given.isEmpty() && !fetch();
        }

        @Override
        public Passphrase get(int index) {
            while (index >= given.size() && fetch()) {
                // asked one more
            }
            return given.get(index);
        }

        @Override
        public int size() {
            return given.size();
        }

        @Override
        public Iterator<Passphrase> iterator() {
            return new Iterator<>() {
                private int index;

                @Override
                public boolean hasNext() {
                    return index < given.size() || fetch();
                }

                @Override
                public Passphrase next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return given.get(index++);
                }
            };
        }

        /** Visits the passphrases asked so far, asking for none (the engine closes them this way). */
        @Override
        public void forEach(Consumer<? super Passphrase> action) {
            List.copyOf(given).forEach(action);
        }
    }
}
