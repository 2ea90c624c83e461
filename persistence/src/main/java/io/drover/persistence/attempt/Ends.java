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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Records the ends of many attempts in one statement, inside the caller's transaction: each
 * subtask still held at its claimed version takes its attempt's end (or is PENDING again, when the
 * retry verdict gave it a delay), and each of those attempts is closed. An end whose subtask moved
 * on is left out, changing nothing.
 */
final class Ends {
    /** One column of the ends bound as arrays: its name in {@code v}, its SQL type, and its value for an end. */
    private record Column(String name, String type, Function<AttemptResult, Object> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("attempt_id", "bigint", AttemptResult::attemptId),
            new Column("subtask_id", "bigint", AttemptResult::subtaskId),
            new Column("version", "bigint", AttemptResult::subtaskVersion),
            new Column("subtask_state", "text", r -> SubtaskTransition.END.checked(
                    runsAgain(r) ? SubtaskState.PENDING : SubtaskState.valueOf(r.outcome().name())).name()),
            new Column("attempt_state", "text", r -> AttemptTransition.END.checked(AttemptState.of(r.outcome())).name()),
            new Column("failure", "text", AttemptResult::failure),
            new Column("exit_code", "int4", AttemptResult::exitCode),
            new Column("duration_ms", "bigint", AttemptResult::durationMs),
            new Column("retry_secs", "float8", r -> runsAgain(r) ? r.retryAfterMs().orElseThrow() / 1000.0 : null),
            new Column("sandbox_id", "text", AttemptResult::sandboxId),
            new Column("log_path", "text", AttemptResult::logPath),
            new Column("output_tail", "text", AttemptResult::outputTail));

    private static final String END = """
            WITH v AS (
                SELECT * FROM unnest(%s) AS v(%s)
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
                  FROM ended e JOIN v ON v.attempt_id = e.attempt_id
                 WHERE a.id = e.attempt_id AND %s
             RETURNING a.id
            )
            SELECT e.attempt_id, EXISTS (SELECT 1 FROM closed c WHERE c.id = e.attempt_id) FROM ended e
            """.formatted(COLUMNS.stream().map(col -> "?::" + col.type() + "[]").collect(Collectors.joining(", ")),
            COLUMNS.stream().map(Column::name).collect(Collectors.joining(", ")), SubtaskTransition.END.guard("s.state"),
            AttemptTransition.END.into(AttemptState.CANCELLED), AttemptStore.BUDGET_EXCEEDED,
            AttemptTransition.END.guard("a.state"));

    private Ends() {
    }

    /** Returns the attempts whose ends were recorded; throws if one of them was no longer running. */
    static Set<Long> record(Connection c, List<AttemptResult> results) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(END)) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                Column col = COLUMNS.get(i);
                ps.setArray(i + 1, c.createArrayOf(col.type(), results.stream().map(col.value()).toArray()));
            }
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
