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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

/** A tenant's max_running_subtasks across all its jobs, under claimers on many connections at once. */
class TenantQuotaClaimTest {
    private static final int CLAIMERS = 8;

    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private AttemptStore attempts;
    private final ExecutorService threads = Executors.newFixedThreadPool(CLAIMERS);

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        attempts = new AttemptStore(db);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO tenant (name, max_running_subtasks) VALUES ('capped', 5), ('free', NULL)");
        }
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eight_claimers_never_run_more_of_a_tenants_jobs_than_its_quota_and_other_tenants_are_unaffected()
            throws Exception {
        List<Long> capped = List.of(job("capped", 40), job("capped", 40), job("capped", 40));
        long free = job("free", 1000);
        CyclicBarrier start = new CyclicBarrier(CLAIMERS);
        for (int round = 0; round < 6; round++) {
            List<Future<List<ClaimedSubtask>>> claims = new ArrayList<>();
            for (int i = 0; i < CLAIMERS; i++) {
                String owner = "w" + i;
                claims.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return subtasks.claim(owner, 4);
                }));
            }
            List<ClaimedSubtask> claimed = new ArrayList<>();
            for (Future<List<ClaimedSubtask>> claim : claims) {
                claimed.addAll(claim.get(10, TimeUnit.SECONDS));
            }
            // At most the quota; fewer when the claimer holding the tenant filled its batch with other work.
            assertThat(running(capped)).as("round " + round + ": the tenant's running subtasks").isBetween(1L, 5L);
            assertThat(claimed).as("round " + round + ": the other tenant's job is claimed beside it")
                    .anyMatch(c -> c.jobId() == free);
            // Two of the capped tenant's subtasks end: two slots come free for the next round.
            claimed.stream().filter(c -> c.jobId() != free).limit(2).forEach(this::succeed);
            claimed.stream().filter(c -> c.jobId() == free).forEach(this::succeed);
        }
        for (int i = 0; i < 10; i++) {
            subtasks.claim("w", 4);
        }
        assertThat(running(capped)).as("claims fill the quota, and no more").isEqualTo(5);
    }

    private long running(List<Long> jobIds) {
        return jobIds.stream().mapToLong(id -> jobs.counts(id).getOrDefault(SubtaskState.RUNNING, 0L)).sum();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void raising_the_quota_lets_the_next_claim_take_more() throws Exception {
        long id = job("capped", 20);
        assertThat(subtasks.claim("w", 20)).hasSize(5);
        assertThat(subtasks.claim("w", 20)).isEmpty();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE tenant SET max_running_subtasks = 8 WHERE name = 'capped'");
        }
        assertThat(subtasks.claim("w", 20)).hasSize(3).allMatch(c -> c.jobId() == id);
    }

    private void succeed(ClaimedSubtask c) {
        attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), AttemptOutcome.SUCCEEDED, null,
                0, 1, null, null, "", Optional.empty()));
    }

    private long job(String tenant, int items) {
        long id = jobs.insert(new NewJob("t", "{}", "{}", "{}", "test", Optional.empty(), "", NewJob.Dispatch.DEFAULT,
                null, null, tenant)).id();
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"i\":" + i + "}").toList());
        return id;
    }
}
