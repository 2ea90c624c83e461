package io.drover.persistence.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubtaskClaimTest {
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

    private long jobWith(int items) {
        long id = jobs.insert(NewJob.of("claims", "{}", "{}", "{}", "test")).id();
        List<String> itemJson = IntStream.range(0, items).mapToObj(i -> "{\"item\":\"" + i + "\"}").toList();
        assertThat(jobs.expand(id, itemJson)).isTrue();
        return id;
    }

    @Test
    void two_workers_claiming_the_same_1000_subtasks_never_claim_one_twice() throws Exception {
        jobWith(1_000);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> workers = new ArrayList<>();
        for (String owner : List.of("worker-a", "worker-b")) {
            workers.add(pool.submit(() -> {
                start.await();
                int total = 0;
                List<ClaimedSubtask> batch;
                while (!(batch = subtasks.claim(owner, 7)).isEmpty()) {
                    for (ClaimedSubtask claimed : batch) {
                        if (!seen.add(claimed.subtaskId())) {
                            duplicates.add(claimed.subtaskId());
                        }
                    }
                    total += batch.size();
                }
                return total;
            }));
        }
        start.countDown();
        int a = workers.get(0).get();
        int b = workers.get(1).get();
        pool.shutdown();

        assertThat(duplicates).isEmpty();
        assertThat(a + b).isEqualTo(1_000);
        assertThat(seen).hasSize(1_000);
        assertThat(a).as("both workers got work").isPositive();
        assertThat(b).as("both workers got work").isPositive();
    }

    @Test
    void a_10000_item_fanout_is_stored_with_contiguous_indexes() {
        long id = jobWith(10_000);
        assertThat(jobs.counts(id).get(SubtaskState.PENDING)).isEqualTo(10_000);
        assertThat(subtasks.find(id, 9_999)).get().extracting(SubtaskView::itemJson).asString().contains("\"9999\"");
        assertThat(jobs.find(id).orElseThrow().subtaskCount()).isEqualTo(10_000);
        assertThat(jobs.expand(id, List.of("{}"))).as("a second expansion is refused").isFalse();
    }

    @Test
    void a_completion_presenting_a_stale_version_is_rejected_and_recorded_once() {
        long id = jobWith(1);
        ClaimedSubtask claimed = subtasks.claim("w", 1).get(0);
        AttemptResult done = new AttemptResult(claimed.attemptId(), claimed.subtaskId(), claimed.version(),
                AttemptOutcome.SUCCEEDED, null, 0, 12, "sb", "/tmp/log", "ok\n", java.util.Optional.empty());

        assertThat(attempts.complete(done)).isTrue();
        assertThat(attempts.complete(done)).as("the same completion twice").isFalse();
        assertThat(jobs.completeIfDone(id)).contains(JobState.SUCCEEDED);
        assertThat(jobs.completeIfDone(id)).as("already ended").isEmpty();
        SubtaskView view = subtasks.find(id, 0).orElseThrow();
        assertThat(view.state()).isEqualTo(SubtaskState.SUCCEEDED);
        assertThat(view.exitCode()).isZero();
        assertThat(view.outputTail()).isEqualTo("ok\n");
    }

    @Test
    void a_failed_subtask_fails_the_job_once_every_subtask_is_terminal() {
        long id = jobWith(2);
        List<ClaimedSubtask> claimed = subtasks.claim("w", 2);
        attempts.complete(result(claimed.get(0), AttemptOutcome.FAILED, 3));
        assertThat(jobs.completeIfDone(id)).as("one subtask still running").isEmpty();
        attempts.complete(result(claimed.get(1), AttemptOutcome.SUCCEEDED, 0));
        assertThat(jobs.completeIfDone(id)).contains(JobState.FAILED);
    }

    @Test
    void cancel_cancels_pending_subtasks_and_running_ones_are_reported_by_heartbeat() {
        long id = jobWith(3);
        ClaimedSubtask running = subtasks.claim("w", 1).get(0);
        assertThat(jobs.cancel(id)).isTrue();
        assertThat(jobs.counts(id).get(SubtaskState.CANCELLED)).isEqualTo(2);
        assertThat(attempts.heartbeat("w", List.of(running.attemptId()))).containsExactly(running.attemptId());
        assertThat(jobs.completeIfDone(id)).as("a subtask is still running").isEmpty();
        attempts.complete(result(running, AttemptOutcome.CANCELLED, null));
        assertThat(jobs.completeIfDone(id)).contains(JobState.CANCELLED);
        assertThat(jobs.cancel(id)).as("an ended job cannot be cancelled").isFalse();
    }

    @Test
    void jobs_are_listed_newest_first_in_pages() {
        List<Long> ids = IntStream.range(0, 5).mapToObj(i -> jobs.insert(NewJob.of("j" + i, "{}", "{}", "{}", "t")).id())
                .toList();
        var first = jobs.list("default", java.util.Optional.empty(), 2, java.util.Optional.empty());
        assertThat(first.items()).extracting(r -> r.id()).containsExactly(ids.get(4), ids.get(3));
        var second = jobs.list("default", java.util.Optional.empty(), 2, first.nextCursor());
        assertThat(second.items()).extracting(r -> r.id()).containsExactly(ids.get(2), ids.get(1));
        var third = jobs.list("default", java.util.Optional.empty(), 2, second.nextCursor());
        assertThat(third.items()).extracting(r -> r.id()).containsExactly(ids.get(0));
        assertThat(third.nextCursor()).isEmpty();
    }

    private static AttemptResult result(ClaimedSubtask c, AttemptOutcome outcome, Integer exit) {
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome,
                outcome == AttemptOutcome.SUCCEEDED ? null : "nonzero-exit", exit, 5, "sb", null, "",
                java.util.Optional.empty());
    }
}
