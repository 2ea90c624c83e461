package io.drover.persistence.attempt;

import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Records the ends of many attempts in one statement, inside the caller's transaction: each
 * subtask still held at its claimed version takes its attempt's end (or is PENDING again, when the
 * retry verdict gave it a delay), and each of those attempts is closed. An end whose subtask moved
 * on is left out, changing nothing.
 */
final class Ends {
    private static final String END = """
            WITH v AS (
                SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                                     ?::int[], ?::bigint[], ?::float8[], ?::text[], ?::text[], ?::text[])
                    AS v(attempt_id, subtask_id, version, subtask_state, attempt_state, failure, exit_code,
                         duration_ms, retry_secs, sandbox_id, log_path, output_tail)
            ), ended AS (
                UPDATE subtask s
                   SET state = v.subtask_state, exit_code = v.exit_code, duration_ms = v.duration_ms,
                       finished_at = CASE WHEN v.retry_secs IS NULL THEN now() END,
                       not_before = CASE WHEN v.retry_secs IS NOT NULL THEN now() + make_interval(secs => v.retry_secs) END,
                       owner = NULL, version = s.version + 1
                  FROM v WHERE s.id = v.subtask_id AND s.version = v.version AND %s
             RETURNING v.attempt_id
            ), closed AS (
                -- A stop ordered by the job's budget (onExceeded: stop-running) is told apart from a user's cancel.
                UPDATE attempt a
                   SET state = v.attempt_state,
                       failure = CASE WHEN v.attempt_state = %s AND EXISTS (SELECT 1 FROM job j WHERE j.id = a.job_id
                                          AND j.budget_exceeded AND j.budget_on_exceeded = 'stop-running'
                                          AND NOT j.cancel_requested)
                                      THEN '%s' ELSE v.failure END,
                       exit_code = v.exit_code, sandbox_id = v.sandbox_id, log_path = v.log_path,
                       output_tail = v.output_tail, finished_at = now(), version = a.version + 1
                  FROM v JOIN ended e ON e.attempt_id = v.attempt_id
                 WHERE a.id = v.attempt_id AND %s
             RETURNING a.id
            )
            SELECT e.attempt_id, EXISTS (SELECT 1 FROM closed c WHERE c.id = e.attempt_id) FROM ended e
            """.formatted(SubtaskTransition.END.guard("s.state"), AttemptTransition.END.into(AttemptState.CANCELLED),
            AttemptStore.BUDGET_EXCEEDED, AttemptTransition.END.guard("a.state"));

    private Ends() {
    }

    /** Returns the attempts whose ends were recorded; throws if one of them was no longer running. */
    static Set<Long> record(Connection c, List<AttemptResult> results) throws SQLException {
        int n = results.size();
        Object[] attempt = new Object[n];
        Object[] subtask = new Object[n];
        Object[] version = new Object[n];
        Object[] subtaskState = new Object[n];
        Object[] attemptState = new Object[n];
        Object[] failure = new Object[n];
        Object[] exit = new Object[n];
        Object[] duration = new Object[n];
        Object[] retrySecs = new Object[n];
        Object[] sandbox = new Object[n];
        Object[] log = new Object[n];
        Object[] tail = new Object[n];
        for (int i = 0; i < n; i++) {
            AttemptResult r = results.get(i);
            boolean again = runsAgain(r);
            attempt[i] = r.attemptId();
            subtask[i] = r.subtaskId();
            version[i] = r.subtaskVersion();
            subtaskState[i] = SubtaskTransition.END.checked(
                    again ? SubtaskState.PENDING : SubtaskState.valueOf(r.outcome().name())).name();
            attemptState[i] = AttemptTransition.END.checked(AttemptState.of(r.outcome())).name();
            failure[i] = r.failure();
            exit[i] = r.exitCode();
            duration[i] = r.durationMs();
            retrySecs[i] = again ? r.retryAfterMs().orElseThrow() / 1000.0 : null;
            sandbox[i] = r.sandboxId();
            log[i] = r.logPath();
            tail[i] = r.outputTail();
        }
        try (PreparedStatement ps = c.prepareStatement(END)) {
            ps.setArray(1, c.createArrayOf("bigint", attempt));
            ps.setArray(2, c.createArrayOf("bigint", subtask));
            ps.setArray(3, c.createArrayOf("bigint", version));
            ps.setArray(4, c.createArrayOf("text", subtaskState));
            ps.setArray(5, c.createArrayOf("text", attemptState));
            ps.setArray(6, c.createArrayOf("text", failure));
            ps.setArray(7, c.createArrayOf("int4", exit));
            ps.setArray(8, c.createArrayOf("bigint", duration));
            ps.setArray(9, c.createArrayOf("float8", retrySecs));
            ps.setArray(10, c.createArrayOf("text", sandbox));
            ps.setArray(11, c.createArrayOf("text", log));
            ps.setArray(12, c.createArrayOf("text", tail));
            Set<Long> recorded = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(2)) {
                        throw new IllegalStateException("attempt " + rs.getLong(1) + " was not running");
                    }
                    recorded.add(rs.getLong(1));
                }
            }
            return recorded;
        }
    }

    /** A failure the retry verdict ({@code retry.Retries}) gave a delay runs again; nothing else does. */
    private static boolean runsAgain(AttemptResult r) {
        return r.retryAfterMs().isPresent() && r.outcome() == AttemptOutcome.FAILED;
    }
}
