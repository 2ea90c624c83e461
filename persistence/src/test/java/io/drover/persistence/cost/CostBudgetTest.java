package io.drover.persistence.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.attempt.AttemptUsage;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CostBudgetTest {
    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private AttemptStore attempts;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        attempts = new AttemptStore(db);
    }

    private long jobWith(int items, String maxCost, String maxPerSubtask, int maxAttempts) {
        return jobWith(items, maxCost, maxPerSubtask, maxAttempts, false);
    }

    private long jobWith(int items, String maxCost, String maxPerSubtask, int maxAttempts, boolean stopRunning) {
        NewJob.Dispatch dispatch = new NewJob.Dispatch(null, 0, maxAttempts, false,
                maxCost == null ? null : new BigDecimal(maxCost), maxPerSubtask == null ? null : new BigDecimal(maxPerSubtask),
                stopRunning);
        long id = jobs.insert(new NewJob("budget", "{}", "{}", "{}", "test", Optional.empty(), "", dispatch, null, null, null))
                .id();
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"n\":" + i + "}").toList());
        return id;
    }

    private boolean complete(ClaimedSubtask c, AttemptOutcome outcome, String cost, Optional<Long> retryAfterMs) {
        CostLine line = new CostLine(CostDimension.TOKENS, "m input", BigDecimal.ONE, "1M tokens", new BigDecimal(cost),
                new BigDecimal(cost), null);
        return attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome,
                outcome == AttemptOutcome.SUCCEEDED ? null : "nonzero-exit", 0, 10, null, "log", "", retryAfterMs,
                Optional.of(new AttemptUsage(10, 0, 1L, 1L << 20, 1, 0L, null, 0, null, List.of(line)))));
    }

    @Test
    void once_the_jobs_cost_reaches_its_budget_no_subtask_starts_and_the_job_ends_budget_exceeded() {
        long job = jobWith(3, "1.00", null, 1);

        complete(subtasks.claim("w", 1).get(0), AttemptOutcome.SUCCEEDED, "0.60", Optional.empty());
        assertThat(jobs.find(job).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        complete(subtasks.claim("w", 1).get(0), AttemptOutcome.SUCCEEDED, "0.40", Optional.empty());

        assertThat(subtasks.claim("w", 10)).as("nothing more is claimed").isEmpty();
        assertThat(jobs.counts(job)).containsEntry(SubtaskState.SUCCEEDED, 2L).containsEntry(SubtaskState.CANCELLED, 1L);
        assertThat(jobs.completeIfDone(job)).contains(JobState.BUDGET_EXCEEDED);
        assertThat(subtasks.retry(job, Optional.empty())).as("a spent budget is not spent again").isZero();
    }

    @Test
    void a_subtask_that_reaches_the_per_subtask_budget_is_not_retried_and_stops_the_job() {
        long job = jobWith(2, null, "0.50", 3);
        ClaimedSubtask first = subtasks.claim("w", 1).get(0);

        complete(first, AttemptOutcome.FAILED, "0.50", Optional.of(0L));

        assertThat(subtasks.claim("w", 10)).isEmpty();
        assertThat(jobs.counts(job)).containsEntry(SubtaskState.CANCELLED, 2L);
        assertThat(jobs.completeIfDone(job)).contains(JobState.BUDGET_EXCEEDED);
    }

    @Test
    void with_stop_running_the_running_subtasks_are_stopped_at_their_next_heartbeat_and_recorded_as_such()
            throws Exception {
        long job = jobWith(3, "1.00", null, 1, true);
        List<ClaimedSubtask> running = subtasks.claim("w", 2);

        complete(running.get(0), AttemptOutcome.SUCCEEDED, "1.00", Optional.empty());

        ClaimedSubtask other = running.get(1);
        assertThat(attempts.heartbeat("w", List.of(other.attemptId()))).as("the worker is told to stop it")
                .containsExactly(other.attemptId());
        assertThat(complete(other, AttemptOutcome.CANCELLED, "0.10", Optional.empty()))
                .as("its end, and what it spent until stopped, are still recorded").isTrue();
        assertThat(failureOf(other.attemptId())).isEqualTo(AttemptStore.BUDGET_EXCEEDED);
        assertThat(jobs.counts(job)).containsEntry(SubtaskState.SUCCEEDED, 1L).containsEntry(SubtaskState.CANCELLED, 2L);
        assertThat(jobs.completeIfDone(job)).contains(JobState.BUDGET_EXCEEDED);
    }

    @Test
    void with_finish_running_the_default_a_running_subtask_is_not_told_to_stop() {
        long job = jobWith(3, "1.00", null, 1);
        List<ClaimedSubtask> running = subtasks.claim("w", 2);

        complete(running.get(0), AttemptOutcome.SUCCEEDED, "1.00", Optional.empty());

        assertThat(attempts.heartbeat("w", List.of(running.get(1).attemptId()))).isEmpty();
        complete(running.get(1), AttemptOutcome.SUCCEEDED, "0.10", Optional.empty());
        assertThat(jobs.counts(job)).containsEntry(SubtaskState.SUCCEEDED, 2L).containsEntry(SubtaskState.CANCELLED, 1L);
        assertThat(jobs.completeIfDone(job)).contains(JobState.BUDGET_EXCEEDED);
    }

    private String failureOf(long attemptId) throws Exception {
        try (java.sql.Connection c = db.dataSource().getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT failure FROM attempt WHERE id = ?")) {
            ps.setLong(1, attemptId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void a_job_under_its_budget_runs_to_the_end() {
        long job = jobWith(2, "10", "5", 1);

        for (ClaimedSubtask c : subtasks.claim("w", 2)) {
            complete(c, AttemptOutcome.SUCCEEDED, "1", Optional.empty());
        }

        assertThat(jobs.completeIfDone(job)).contains(JobState.SUCCEEDED);
    }
}
