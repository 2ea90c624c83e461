package io.drover.persistence.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Claims on many connections at once: none waits for another, and a job's concurrency stays exact. */
class ClaimConcurrencyTest {
    private static final int CLAIMERS = 8;

    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private AttemptStore attempts;
    private final ExecutorService threads = Executors.newFixedThreadPool(CLAIMERS);

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        attempts = new AttemptStore(db);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eight_claimers_at_once_never_run_more_of_a_job_than_its_concurrency() throws Exception {
        long limited = job(200, 4);
        CyclicBarrier start = new CyclicBarrier(CLAIMERS);
        for (int round = 0; round < 10; round++) {
            List<Future<List<ClaimedSubtask>>> claims = new ArrayList<>();
            for (int i = 0; i < CLAIMERS; i++) {
                String owner = "w" + i;
                claims.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return subtasks.claim(owner, 10);
                }));
            }
            List<ClaimedSubtask> claimed = new ArrayList<>();
            for (Future<List<ClaimedSubtask>> claim : claims) {
                claimed.addAll(claim.get(10, TimeUnit.SECONDS));
            }

            assertThat(jobs.counts(limited).get(SubtaskState.RUNNING)).as("round " + round).isEqualTo(4);
            assertThat(claimed).as("round " + round + ": one claimer took the 4 slots").hasSize(4);
            claimed.forEach(c -> attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(), c.version(),
                    AttemptOutcome.SUCCEEDED, null, 0, 1, null, null, "", Optional.empty())));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_claim_in_flight_on_a_limited_job_is_skipped_by_others_and_blocks_no_other_work() throws Exception {
        long limited = job(10, 2);
        long open = job(10, 0);
        ClaimedSubtask done = subtasks.claim("first", 1).get(0);
        try (Connection inFlight = db.dataSource().getConnection()) {
            inFlight.setAutoCommit(false);
            // A claim of the limited job between its lock and its commit: it holds the job and has
            // taken the job's 2 slots, which no other snapshot sees yet. It took the last ones (the
            // first were locked by a third claimer when it looked), so the others are free to lock.
            try (PreparedStatement lock = inFlight.prepareStatement("SELECT id FROM job WHERE id = ? FOR NO KEY UPDATE");
                    PreparedStatement take = inFlight.prepareStatement("UPDATE subtask SET state = 'RUNNING'"
                            + " WHERE id IN (SELECT id FROM subtask WHERE job_id = ? AND state = 'PENDING'"
                            + " ORDER BY idx DESC LIMIT 2)")) {
                lock.setLong(1, limited);
                lock.executeQuery().close();
                take.setLong(1, limited);
                assertThat(take.executeUpdate()).isEqualTo(2);
            }

            List<ClaimedSubtask> other = CompletableFuture.supplyAsync(() -> subtasks.claim("second", 10), threads)
                    .get(5, TimeUnit.SECONDS);
            boolean recorded = CompletableFuture.supplyAsync(() -> attempts.complete(new AttemptResult(
                    done.attemptId(), done.subtaskId(), done.version(), AttemptOutcome.SUCCEEDED, null, 0, 1,
                    null, null, "", Optional.empty())), threads).get(5, TimeUnit.SECONDS);

            assertThat(other).as("the open job's work at once; nothing of the limited job beyond its 2 slots")
                    .extracting(ClaimedSubtask::jobId).containsOnly(open).hasSize(10);
            assertThat(recorded).as("an attempt of the held job completes without waiting").isTrue();
            inFlight.rollback();
        }
        assertThat(subtasks.claim("third", 10)).as("once released, the limited job is claimed again")
                .extracting(ClaimedSubtask::jobId).containsOnly(limited).hasSize(2);
    }

    /** A job of {@code items} subtasks; {@code concurrency} 0 means no limit. */
    private long job(int items, int concurrency) {
        NewJob.Dispatch dispatch = new NewJob.Dispatch(concurrency == 0 ? null : concurrency, 0, 1, false);
        long id = jobs.insert(new NewJob("c", "{}", "{}", "{}", "test", Optional.empty(), "", dispatch, null, null, null)).id();
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"i\":" + i + "}").toList());
        return id;
    }
}
