package io.drover.persistence.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.Insertion;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fair sharing, concurrency limits, scheduled retries, lease expiry and idempotent inserts. */
class ClaimPolicyTest {
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

    private long job(String name, int items, NewJob.Dispatch dispatch) {
        long id = jobs.insert(new NewJob(name, "{}", "{}", "{}", "test", Optional.empty(), "", dispatch, null, null, null)).id();
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"i\":" + i + "}").toList());
        return id;
    }

    private static AttemptResult failed(ClaimedSubtask c, Optional<Long> retryAfterMs) {
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), AttemptOutcome.FAILED, "nonzero-exit", 1,
                3, null, null, "", retryAfterMs);
    }

    @Test
    void a_small_job_submitted_after_a_huge_one_gets_an_equal_share_at_once() {
        long huge = job("huge", 10_000, NewJob.Dispatch.DEFAULT);
        long small = job("small", 10, NewJob.Dispatch.DEFAULT);

        Map<Long, Long> perJob = subtasks.claim("w", 8).stream()
                .collect(Collectors.groupingBy(ClaimedSubtask::jobId, Collectors.counting()));

        assertThat(perJob).containsEntry(huge, 4L).containsEntry(small, 4L);
    }

    @Test
    void higher_priority_goes_first_within_a_round() {
        long low = job("low", 5, new NewJob.Dispatch(null, 0, 1, false));
        long high = job("high", 5, new NewJob.Dispatch(null, 10, 1, false));

        List<ClaimedSubtask> one = subtasks.claim("w", 1);

        assertThat(one).extracting(ClaimedSubtask::jobId).containsExactly(high);
        assertThat(low).isNotEqualTo(high);
    }

    @Test
    void a_job_never_runs_more_subtasks_than_its_concurrency() {
        long limited = job("limited", 50, new NewJob.Dispatch(3, 0, 1, false));

        assertThat(subtasks.claim("a", 10)).hasSize(3);
        assertThat(subtasks.claim("b", 10)).as("a second worker gets nothing while 3 run").isEmpty();
        assertThat(jobs.counts(limited).get(SubtaskState.RUNNING)).isEqualTo(3);
    }

    @Test
    void a_retried_subtask_is_not_claimed_before_its_backoff_ends() throws Exception {
        long id = job("retry", 1, new NewJob.Dispatch(null, 0, 3, false));
        ClaimedSubtask first = subtasks.claim("w", 1).get(0);
        assertThat(attempts.complete(failed(first, Optional.of(60_000L)))).isTrue();

        assertThat(jobs.counts(id).get(SubtaskState.PENDING)).isEqualTo(1);
        assertThat(subtasks.claim("w", 1)).as("backing off").isEmpty();
        assertThat(jobs.completeIfDone(id)).as("a subtask waiting for a retry keeps its job open").isEmpty();

        execute("UPDATE subtask SET not_before = now() - interval '1 second'");
        ClaimedSubtask second = subtasks.claim("w", 1).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(attempts.complete(failed(second, Optional.empty()))).isTrue();
        assertThat(jobs.completeIfDone(id)).contains(JobState.FAILED);
    }

    @Test
    void an_attempt_whose_heartbeat_stopped_is_lost_and_its_subtask_runs_again_until_the_budget_is_spent() throws Exception {
        long id = job("lost", 1, NewJob.Dispatch.DEFAULT);
        ClaimedSubtask first = subtasks.claim("dead-worker", 1).get(0);
        assertThat(attempts.expireStale(60, 2)).as("fresh heartbeat").isZero();

        execute("UPDATE attempt SET heartbeat_at = now() - interval '2 minutes'");
        assertThat(attempts.expireStale(60, 2)).isEqualTo(1);
        assertThat(jobs.counts(id).get(SubtaskState.PENDING)).isEqualTo(1);
        assertThat(attempts.complete(new AttemptResult(first.attemptId(), first.subtaskId(), first.version(),
                AttemptOutcome.SUCCEEDED, null, 0, 1, null, null, "", Optional.empty())))
                .as("the dead worker's late completion is rejected").isFalse();

        subtasks.claim("dead-again", 1);
        execute("UPDATE attempt SET heartbeat_at = now() - interval '2 minutes' WHERE state = 'RUNNING'");
        assertThat(attempts.expireStale(60, 2)).isEqualTo(1);
        assertThat(jobs.counts(id).get(SubtaskState.FAILED)).as("second loss spends the budget of 2").isEqualTo(1);
        assertThat(subtasks.find(id, 0).orElseThrow().failure()).isEqualTo("sandbox-lost");
    }

    @Test
    void an_attempt_whose_sandbox_could_not_be_made_is_lost_and_runs_again_later_until_the_budget_is_spent()
            throws Exception {
        long id = job("no-sandbox", 1, NewJob.Dispatch.DEFAULT);
        ClaimedSubtask first = subtasks.claim("w", 1).get(0);

        assertThat(attempts.lose(lost(first, 60_000), 2)).isTrue();
        assertThat(jobs.counts(id).get(SubtaskState.PENDING)).as("runs again: not the task's failure").isEqualTo(1);
        assertThat(subtasks.claim("w", 1)).as("not before its delay").isEmpty();
        assertThat(attempts.lose(lost(first, 0), 2)).as("a second report of the same loss").isFalse();

        execute("UPDATE subtask SET not_before = now()");
        ClaimedSubtask second = subtasks.claim("w", 1).get(0);
        assertThat(attempts.lose(lost(second, 0), 2)).isTrue();
        assertThat(jobs.counts(id).get(SubtaskState.FAILED)).as("second loss spends the budget of 2").isEqualTo(1);
        SubtaskView view = subtasks.find(id, 0).orElseThrow();
        assertThat(view.failure()).isEqualTo("sandbox-lost");
        assertThat(view.exitCode()).as("no command ran").isNull();
    }

    private static AttemptResult lost(ClaimedSubtask c, long retryAfterMs) {
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), AttemptOutcome.LOST, "sandbox-lost", null,
                5, null, "log", "drover: this attempt lost its sandbox", Optional.of(retryAfterMs));
    }

    @Test
    void failed_and_cancelled_subtasks_of_an_ended_job_can_run_again() {
        long id = job("again", 3, NewJob.Dispatch.DEFAULT);
        List<ClaimedSubtask> claimed = subtasks.claim("w", 3);
        attempts.complete(failed(claimed.get(0), Optional.empty()));
        claimed.subList(1, 3).forEach(c -> attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(),
                c.version(), AttemptOutcome.SUCCEEDED, null, 0, 1, null, null, "", Optional.empty())));
        assertThat(jobs.completeIfDone(id)).contains(JobState.FAILED);

        assertThat(subtasks.retry(id, Optional.empty())).isEqualTo(1);

        assertThat(jobs.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        ClaimedSubtask again = subtasks.claim("w", 3).get(0);
        assertThat(again.index()).isZero();
        assertThat(again.attempt()).isEqualTo(2);
    }

    @Test
    void the_same_idempotency_key_returns_the_first_job() {
        Function<String, NewJob> withKey = hash -> new NewJob("idem", "{}", "{}", "{}", "rest", Optional.of("key-1"),
                hash, NewJob.Dispatch.DEFAULT, null, null, null);
        Insertion first = jobs.insert(withKey.apply("h1"));
        Insertion again = jobs.insert(withKey.apply("h2"));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.requestHash()).isEqualTo("h1");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
