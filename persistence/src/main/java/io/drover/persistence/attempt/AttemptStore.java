package io.drover.persistence.attempt;

import io.drover.persistence.Database;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records the end of attempts exactly once, and keeps running attempts' heartbeats fresh. */
public final class AttemptStore {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptStore.class);
    /** The failure of an attempt stopped because its job reached its budget (onExceeded: stop-running). */
    public static final String BUDGET_EXCEEDED = "budget-exceeded";

    /**
     * Whether subtask {@code t} of job {@code j}, which has just lost an attempt not yet counted as
     * LOST, runs again: while it has lost fewer than the limit (the one parameter), since a lost
     * sandbox or worker is not the task's fault, or while the job's retry policy allows it.
     */
    private static final String RUNS_AGAIN_AFTER_LOSS = """
            (SELECT count(*) FROM attempt x
              WHERE x.subtask_id = t.id AND x.state = 'LOST' AND x.failure = 'sandbox-lost') + 1 < ?
            OR (j.retry_lost AND t.attempts < j.max_attempts)""";

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
        if (r.outcome() == AttemptOutcome.LOST) {
            throw new IllegalArgumentException("attempt " + r.attemptId() + " was LOST: record it with lose()");
        }
        return db.inTransaction(c -> {
            boolean retry = r.retryAfterMs().isPresent() && r.outcome() == AttemptOutcome.FAILED;
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = ?, exit_code = ?, duration_ms = ?,"
                    + " finished_at = CASE WHEN ? THEN NULL ELSE now() END,"
                    + " not_before = CASE WHEN ? THEN now() + make_interval(secs => ?) END,"
                    + " owner = NULL, version = version + 1"
                    + " WHERE id = ? AND version = ? AND state = 'RUNNING'")) {
                ps.setString(1, retry ? "PENDING" : r.outcome().name());
                ps.setObject(2, r.exitCode());
                ps.setLong(3, r.durationMs());
                ps.setBoolean(4, retry);
                ps.setBoolean(5, retry);
                ps.setDouble(6, r.retryAfterMs().orElse(0L) / 1000.0);
                ps.setLong(7, r.subtaskId());
                ps.setLong(8, r.subtaskVersion());
                int updated = ps.executeUpdate();
                if (updated == 0) {
                    LOG.warn("Completion of attempt {} rejected: subtask {} is no longer held at version {}."
                            + " Another worker owns it now; its result is the one that counts.",
                            r.attemptId(), r.subtaskId(), r.subtaskVersion());
                    return false;
                }
                if (updated > 1) {
                    throw new IllegalStateException("completion updated " + updated + " subtasks for id " + r.subtaskId());
                }
            }
            // A stop ordered by the job's budget (onExceeded: stop-running) is told apart from a user's cancel.
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET state = ?, failure = CASE"
                    + " WHEN ? = 'CANCELLED' AND EXISTS (SELECT 1 FROM job j WHERE j.id = attempt.job_id"
                    + " AND j.budget_exceeded AND j.budget_on_exceeded = 'stop-running' AND NOT j.cancel_requested)"
                    + " THEN '" + BUDGET_EXCEEDED + "' ELSE ? END, exit_code = ?,"
                    + " sandbox_id = ?, log_path = ?, output_tail = ?, finished_at = now(), version = version + 1"
                    + " WHERE id = ? AND state = 'RUNNING'")) {
                ps.setString(1, r.outcome().name());
                ps.setString(2, r.outcome().name());
                ps.setString(3, r.failure());
                ps.setObject(4, r.exitCode());
                ps.setString(5, r.sandboxId());
                ps.setString(6, r.logPath());
                ps.setString(7, r.outputTail());
                ps.setLong(8, r.attemptId());
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("attempt " + r.attemptId() + " was not running");
                }
            }
            // In the same transaction as the end: a rejected duplicate completion returned above, costing nothing.
            if (r.usage().isPresent()) {
                UsageRows.write(c, r.attemptId(), r.usage().get());
                Budgets.enforce(c, r.attemptId());
            }
            return true;
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
                       SET state = CASE WHEN s.cancel_requested THEN 'CANCELLED' WHEN v.again THEN 'PENDING'
                                        ELSE 'FAILED' END,
                           finished_at = CASE WHEN v.again AND NOT s.cancel_requested THEN NULL ELSE now() END,
                           not_before = CASE WHEN v.again AND NOT s.cancel_requested
                                             THEN now() + make_interval(secs => ?) END,
                           duration_ms = ?, owner = NULL, version = s.version + 1
                      FROM (SELECT """ + RUNS_AGAIN_AFTER_LOSS + """
                                    AS again
                              FROM subtask t JOIN job j ON j.id = t.job_id WHERE t.id = ?) v
                     WHERE s.id = ? AND s.version = ? AND s.state = 'RUNNING'
                    """)) {
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET state = 'LOST', failure = ?,"
                    + " log_path = ?, output_tail = ?, finished_at = now(), version = version + 1"
                    + " WHERE id = ? AND state = 'RUNNING'")) {
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
                    + " AND a.id = ANY (?) AND a.owner = ? AND a.state = 'RUNNING'"
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = 'PENDING', owner = NULL,"
                    + " version = version + 1 WHERE id = ? AND version = ? AND state = 'RUNNING'")) {
                ps.setLong(1, subtaskId);
                ps.setLong(2, subtaskVersion);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET state = 'LOST', failure = ?,"
                    + " finished_at = now(), version = version + 1 WHERE id = ? AND state = 'RUNNING'")) {
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
                         WHERE a.state = 'RUNNING' AND a.heartbeat_at < now() - make_interval(secs => ?)
                         FOR UPDATE SKIP LOCKED
                    ), lost AS (
                        UPDATE attempt a SET state = 'LOST', failure = 'sandbox-lost', finished_at = now(),
                               version = a.version + 1
                          FROM stale WHERE a.id = stale.id
                        RETURNING a.subtask_id
                    ), verdict AS (
                        SELECT t.id, """ + RUNS_AGAIN_AFTER_LOSS + """
                               AS again
                          FROM subtask t JOIN lost ON lost.subtask_id = t.id JOIN job j ON j.id = t.job_id
                         WHERE t.state = 'RUNNING'
                    )
                    UPDATE subtask s
                       SET state = CASE WHEN v.again AND NOT s.cancel_requested THEN 'PENDING'
                                        WHEN s.cancel_requested THEN 'CANCELLED' ELSE 'FAILED' END,
                           finished_at = CASE WHEN v.again AND NOT s.cancel_requested THEN NULL ELSE now() END,
                           owner = NULL, version = s.version + 1
                      FROM verdict v WHERE s.id = v.id
                    """)) {
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
