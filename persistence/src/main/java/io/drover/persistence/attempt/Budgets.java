package io.drover.persistence.attempt;

import io.drover.persistence.state.StateSql;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a job's budget right after an attempt's cost lines are written, in the same transaction:
 * once the job's spend reaches {@code max_cost_usd}, or the attempt's subtask's spend reaches
 * {@code max_cost_per_subtask_usd}, the job is flagged (claims skip it) and its subtasks that have
 * not started are cancelled, so that it ends BUDGET_EXCEEDED when the running ones finish. With
 * {@code budget_on_exceeded = 'stop-running'} its running subtasks are flagged as a cancel would
 * flag them, so their workers stop them at their next heartbeat (recorded {@code budget-exceeded}).
 * Attempts running at once each see only committed spend, so a job can overshoot its budget by
 * what its running attempts cost.
 */
final class Budgets {
    private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);

    private Budgets() {
    }

    static void enforce(Connection c, long attemptId) throws SQLException {
        long jobId;
        boolean stopRunning;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE job j SET budget_exceeded = TRUE, version = j.version + 1
                  FROM attempt a
                 WHERE a.id = ? AND j.id = a.job_id AND NOT j.budget_exceeded
                   AND ((j.max_cost_usd IS NOT NULL
                         AND (SELECT coalesce(sum(l.amount_usd), 0) FROM cost_line l WHERE l.job_id = j.id) >= j.max_cost_usd)
                     OR (j.max_cost_per_subtask_usd IS NOT NULL
                         AND (SELECT coalesce(sum(l.amount_usd), 0) FROM cost_line l WHERE l.subtask_id = a.subtask_id)
                             >= j.max_cost_per_subtask_usd))
                RETURNING j.id, j.budget_on_exceeded = 'stop-running'
                """)) {
            ps.setLong(1, attemptId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                jobId = rs.getLong(1);
                stopRunning = rs.getBoolean(2);
            }
        }
        int cancelled;
        try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = " + SubtaskTransition.CANCEL.into()
                + ", finished_at = now(), not_before = NULL, version = version + 1 WHERE job_id = ? AND "
                + SubtaskTransition.CANCEL.guard("state"))) {
            ps.setLong(1, jobId);
            cancelled = ps.executeUpdate();
        }
        if (stopRunning) {
            int stopping;
            // As a subtask cancel does: the version stays, so the worker's completion is still accepted.
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET cancel_requested = TRUE"
                    + " WHERE job_id = ? AND " + StateSql.is("state", SubtaskState.RUNNING))) {
                ps.setLong(1, jobId);
                stopping = ps.executeUpdate();
            }
            LOG.warn("Job {} reached its budget (spec.budget) with attempt {}: {} subtasks that had not started are"
                    + " cancelled and {} running ones are stopped at their next heartbeat (onExceeded: stop-running);"
                    + " then the job ends BUDGET_EXCEEDED", jobId, attemptId, cancelled, stopping);
            return;
        }
        LOG.warn("Job {} reached its budget (spec.budget) with attempt {}: {} subtasks that had not started are"
                + " cancelled; running ones finish, then the job ends BUDGET_EXCEEDED", jobId, attemptId, cancelled);
    }
}
