package io.drover.persistence.attempt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records attempt ends in groups (a group commit): a caller whose end finds no write under way
 * writes it at once, together with every end queued meanwhile, in one transaction
 * ({@link AttemptStore#complete(List)}); a caller whose end arrives while a write is under way
 * waits for the next one. A lone end is written at once, as before; ends that arrive together,
 * as those of one claim's subtasks do, share a transaction. Each caller returns only after its
 * end has committed (or was rejected), so what follows a completion — the job's end check, the
 * next claim — sees it.
 *
 * <p>Nothing is held only in memory longer than a write: an end queued when the process dies is
 * lost like one whose transaction had not committed, so its attempt stays RUNNING, its lease
 * expires and the sweep runs the subtask again or fails it, as for a worker that died mid-attempt.
 */
public final class Completions {
    /** Ends per transaction at most: bounds the statement and the time the first caller writes for others. */
    static final int MAX_GROUP = 64;

    private final AttemptStore attempts;
    private final List<AttemptResult> queued = new ArrayList<>();
    private final Map<Long, Outcome> outcomes = new HashMap<>();
    private boolean writing;

    public Completions(AttemptStore attempts) {
        this.attempts = attempts;
    }

    private record Outcome(boolean recorded, RuntimeException failure) {
    }

    /**
     * As {@link AttemptStore#complete(AttemptResult)}: true once the end is recorded, false if the
     * attempt had been taken away; throws what writing it threw.
     */
    public boolean complete(AttemptResult result) {
        boolean interrupted = false;
        try {
            synchronized (this) {
                queued.add(result);
            }
            while (true) {
                List<AttemptResult> group;
                synchronized (this) {
                    while (writing && !outcomes.containsKey(result.attemptId())) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // The end is queued and will be written: wait for it, then pass the interrupt on.
                            interrupted = true;
                        }
                    }
                    Outcome done = outcomes.remove(result.attemptId());
                    if (done != null) {
                        if (done.failure() != null) {
                            throw done.failure();
                        }
                        return done.recorded();
                    }
                    writing = true;
                    group = new ArrayList<>(queued.subList(0, Math.min(MAX_GROUP, queued.size())));
                    queued.subList(0, group.size()).clear();
                }
                Map<Long, Outcome> written = new HashMap<>();
                try {
                    written.putAll(write(group));
                } catch (Error e) {
                    // Every caller of the group learns of it, rather than waiting for an outcome that never comes.
                    group.forEach(r -> written.put(r.attemptId(), new Outcome(false,
                            new IllegalStateException("recording attempt " + r.attemptId() + " failed", e))));
                    throw e;
                } finally {
                    synchronized (this) {
                        outcomes.putAll(written);
                        writing = false;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One transaction for the group; if it fails, each end alone, so one bad end fails only its own caller. */
    private Map<Long, Outcome> write(List<AttemptResult> group) {
        Map<Long, Outcome> written = new HashMap<>();
        try {
            Set<Long> recorded = attempts.complete(group);
            group.forEach(r -> written.put(r.attemptId(), new Outcome(recorded.contains(r.attemptId()), null)));
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                written.put(group.get(0).attemptId(), new Outcome(false, groupFailure));
                return written;
            }
            for (AttemptResult r : group) {
                try {
                    written.put(r.attemptId(), new Outcome(attempts.complete(r), null));
                } catch (RuntimeException e) {
                    written.put(r.attemptId(), new Outcome(false, e));
                }
            }
        }
        return written;
    }
}
