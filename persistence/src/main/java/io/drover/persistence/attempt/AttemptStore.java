package io.drover.persistence.attempt;

import io.drover.persistence.Database;
import io.drover.persistence.retry.FailureClass;
import io.drover.persistence.retry.Retries;
import io.drover.persistence.state.StateSql;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskTransition;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records the end of attempts exactly once, and keeps running attempts' heartbeats fresh. */
public final class AttemptStore {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptStore.class);
    /** The failure of an attempt stopped because its job reached its budget (onExceeded: stop-running). */
    public static final String BUDGET_EXCEEDED = "budget-exceeded";

    /** For a subtask {@code s} whose attempt was lost, with the retry verdict {@code v.again}: its next state. */
    private static final String STATE_AFTER_LOSS = "CASE WHEN s.cancel_requested THEN %s WHEN v.again THEN %s ELSE %s END"
            .formatted(SubtaskTransition.END.into(SubtaskState.CANCELLED), SubtaskTransition.END.into(SubtaskState.PENDING),
                    SubtaskTransition.END.into(SubtaskState.FAILED));
    private static final String RUNS_AGAIN = "v.again AND NOT s.cancel_requested";

    private final Database db;

    public AttemptStore(Database db) {
        this.db = db;
    }

    /**
     * Records an attempt's end and its subtask's new state in one transaction. Returns false, and
     * changes nothing, when the attempt was taken away from this worker in the meantime (its
     * subtask's version moved on): the completion is then a duplicate and must not count.
     */
    public boolean complete(AttemptResult r) {
        return complete(List.of(r)).contains(r.attemptId());
    }

    /**
     * Records the ends of several attempts in one transaction, with one statement for all of them
     * (plus each one's cost lines and budget check), and returns the attempts recorded. An end whose
     * attempt was taken away meanwhile is left out and changes nothing, as {@link #complete(AttemptResult)}
     * says; if any one end is wrong (its attempt no longer running), nothing is recorded.
     */
    public Set<Long> complete(List<AttemptResult> results) {
        for (AttemptResult r : results) {
            if (r.outcome() == AttemptOutcome.LOST) {
                throw new IllegalArgumentException("attempt " + r.attemptId() + " was LOST: record it with lose()");
            }
        }
        if (results.isEmpty()) {
            return Set.of();
        }
        return db.inTransaction(c -> {
            Set<Long> recorded = Ends.record(c, results);
            for (AttemptResult r : results) {
                if (!recorded.contains(r.attemptId())) {
                    LOG.warn("Completion of attempt {} rejected: subtask {} is no longer held at version {}."
                            + " Another worker owns it now; its result is the one that counts.",
                            r.attemptId(), r.subtaskId(), r.subtaskVersion());
                } else if (r.usage().isPresent()) {
                    // In the same transaction as the end: a rejected duplicate completion costs nothing.
                    UsageRows.write(c, r.attemptId(), r.usage().get());
                    Budgets.enforce(c, r.attemptId());
                }
            }
            return recorded;
        });
    }

    /**
     * Records an attempt whose sandbox could not be made ready, or was lost under it, as LOST with
     * {@code r.failure()}: not the task's failure. Like an attempt whose worker died, its subtask runs
     * again (after {@code r.retryAfterMs()}) while it has lost fewer than {@code maxLostAttempts}
     * attempts, or while the job's retry policy allows it; otherwise it fails. Returns false, and
     * changes nothing, when the attempt was taken away from this worker in the meantime.
     */
    public boolean lose(AttemptResult r, int maxLostAttempts) {
        if (r.outcome() != AttemptOutcome.LOST) {
            throw new IllegalArgumentException("attempt " + r.attemptId() + " ended " + r.outcome() + ", not LOST");
        }
        return db.inTransaction(c -> {
            // Before this attempt is marked, as RUNS_AGAIN_AFTER_LOSS expects.
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE subtask s
                       SET state = %1$s,
                           finished_at = CASE WHEN %2$s THEN NULL ELSE now() END,
                           not_before = CASE WHEN %2$s THEN now() + make_interval(secs => ?) END,
                           duration_ms = ?, owner = NULL, version = s.version + 1
                      FROM (SELECT %3$s AS again
                              FROM subtask t JOIN job j ON j.id = t.job_id WHERE t.id = ?) v
                     WHERE s.id = ? AND s.version = ? AND %4$s
                    """.formatted(STATE_AFTER_LOSS, RUNS_AGAIN, Retries.RUNS_AGAIN_AFTER_LOSS,
                    SubtaskTransition.END.guard("s.state")))) {
                ps.setDouble(1, r.retryAfterMs().orElse(0L) / 1000.0);
                ps.setLong(2, r.durationMs());
                ps.setInt(3, maxLostAttempts);
                ps.setLong(4, r.subtaskId());
                ps.setLong(5, r.subtaskId());
                ps.setLong(6, r.subtaskVersion());
                if (ps.executeUpdate() == 0) {
                    LOG.warn("Loss of attempt {} not recorded: subtask {} is no longer held at version {}",
                            r.attemptId(), r.subtaskId(), r.subtaskVersion());
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET state = " + AttemptTransition.LOSE.into()
                    + ", failure = ?, log_path = ?, output_tail = ?, finished_at = now(), version = version + 1"
                    + " WHERE id = ? AND " + AttemptTransition.LOSE.guard("state"))) {
                ps.setString(1, r.failure());
                ps.setString(2, r.logPath());
                ps.setString(3, r.outputTail());
                ps.setLong(4, r.attemptId());
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("attempt " + r.attemptId() + " was not running");
                }
            }
            return true;
        });
    }

    /**
     * Renews the heartbeat of this owner's running attempts and returns those whose job has been
     * cancelled, so the caller can stop them.
     */
    public Set<Long> heartbeat(String owner, Collection<Long> attemptIds) {
        if (attemptIds.isEmpty()) {
            return Set.of();
        }
        return db.autoCommit(c -> {
            Array ids = c.createArrayOf("bigint", attemptIds.toArray());
            Set<Long> cancelled = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt a SET heartbeat_at = now()"
                    + " FROM job j, subtask s WHERE j.id = a.job_id AND s.id = a.subtask_id"
                    + " AND a.id = ANY (?) AND a.owner = ? AND " + StateSql.is("a.state", AttemptState.RUNNING)
                    + " RETURNING a.id, j.cancel_requested OR s.cancel_requested")) {
                ps.setArray(1, ids);
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(2)) {
                            cancelled.add(rs.getLong(1));
                        }
                    }
                }
            }
            return cancelled;
        });
    }

    /**
     * Gives a subtask back to the queue because its worker is going away (a shutdown): the attempt
     * is recorded as LOST with {@code failure} and the subtask is PENDING again for any worker.
     */
    public boolean requeue(long attemptId, long subtaskId, long subtaskVersion, String failure) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = " + SubtaskTransition.REQUEUE.into()
                    + ", owner = NULL, version = version + 1 WHERE id = ? AND version = ? AND "
                    + SubtaskTransition.REQUEUE.guard("state"))) {
                ps.setLong(1, subtaskId);
                ps.setLong(2, subtaskVersion);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET state = " + AttemptTransition.LOSE.into()
                    + ", failure = ?, finished_at = now(), version = version + 1 WHERE id = ? AND "
                    + AttemptTransition.LOSE.guard("state"))) {
                ps.setString(1, failure);
                ps.setLong(2, attemptId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Finds running attempts whose heartbeat is older than {@code staleSeconds} (their worker died
     * or hangs) and records them as LOST with cause {@code sandbox-lost}. Their subtasks run again
     * while they have lost fewer than {@code maxLostAttempts} attempts (a worker's death is not
     * the task's fault), or while the job's retry policy allows it; otherwise they fail. Returns
     * the number of attempts expired.
     */
    public int expireStale(long staleSeconds, int maxLostAttempts) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH stale AS (
                        SELECT a.id, a.subtask_id FROM attempt a
                         WHERE %1$s AND a.heartbeat_at < now() - make_interval(secs => ?)
                         FOR UPDATE SKIP LOCKED
                    ), lost AS (
                        UPDATE attempt a SET state = %2$s, failure = '%3$s', finished_at = now(),
                               version = a.version + 1
                          FROM stale WHERE a.id = stale.id
                        RETURNING a.subtask_id
                    ), verdict AS (
                        SELECT t.id, %4$s AS again
                          FROM subtask t JOIN lost ON lost.subtask_id = t.id JOIN job j ON j.id = t.job_id
                         WHERE %5$s
                    )
                    UPDATE subtask s
                       SET state = %6$s,
                           finished_at = CASE WHEN %7$s THEN NULL ELSE now() END,
                           owner = NULL, version = s.version + 1
                      FROM verdict v WHERE s.id = v.id
                    """.formatted(AttemptTransition.LOSE.guard("a.state"), AttemptTransition.LOSE.into(),
                    FailureClass.SANDBOX_LOST.code(), Retries.RUNS_AGAIN_AFTER_LOSS, SubtaskTransition.END.guard("t.state"),
                    STATE_AFTER_LOSS, RUNS_AGAIN))) {
                ps.setLong(1, staleSeconds);
                ps.setInt(2, maxLostAttempts);
                int expired = ps.executeUpdate();
                if (expired > 0) {
                    LOG.warn("Expired {} attempts whose heartbeat is older than {} s: their subtasks run again"
                            + " elsewhere, or fail after {} lost attempts", expired, staleSeconds, maxLostAttempts);
                }
                return expired;
            }
        });
    }
}
