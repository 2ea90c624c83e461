package io.drover.workers.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.workers.WorkerSettings;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.PriceTable;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subtask whose sandbox cannot be made (here: its driver is not on this worker, as on a worker
 * that lacks it) is the machine's failure: its attempts are LOST, not FAILED, the command is
 * never blamed, and the subtask fails only after the lost-attempt limit.
 */
class LostSandboxTest {
    @TempDir
    Path temp;
    private Database db;
    private Drivers drivers;
    private Pools pools;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.fresh();
        drivers = new Drivers(List.of(new ProcessDriver(temp.resolve("sandboxes"))));
        pools = new Pools(drivers, PoolSettings.defaults(), Clock.systemUTC(), PoolListener.NONE);
    }

    @AfterEach
    void tearDown() {
        pools.close();
        drivers.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void attempts_without_a_sandbox_are_lost_and_the_subtask_fails_only_after_the_lost_attempt_limit()
            throws Exception {
        JobStore jobs = new JobStore(db);
        TaskTemplate task = new TaskTemplate("echo never", Map.of(), 60_000, "microvm", "host", List.of(), Map.of(),
                64, 1, RetryPolicy.NONE);
        long jobId = jobs.insert(NewJob.of("lost", "{}", TaskTemplates.toJson(task), "{}", "test")).id();
        jobs.expand(jobId, List.of("{}"));
        SubtaskStore subtasks = new SubtaskStore(db);
        AttemptRunner runner = new AttemptRunner(new WorkerSettings("w", 1, temp.resolve("logs"), 4096, 2),
                new TaskTemplates(jobs), new OneShotSandbox(pools), new AttemptStore(db), new RunningAttempts(),
                new CostMeter(PriceTable.defaults()));

        AttemptResult first = runner.run(subtasks.claim("w", 1).get(0)).orElseThrow();

        assertThat(first.outcome()).isEqualTo(AttemptOutcome.LOST);
        assertThat(first.failure()).isEqualTo("sandbox-lost");
        assertThat(first.exitCode()).isNull();
        assertThat(first.outputTail()).contains("lost its sandbox").contains("'microvm' is not available here")
                .contains("not of the command");
        assertThat(jobs.counts(jobId).get(SubtaskState.PENDING)).as("runs again").isEqualTo(1);

        execute("UPDATE subtask SET not_before = now()");
        ClaimedSubtask again = subtasks.claim("w", 1).get(0);
        assertThat(runner.run(again).orElseThrow().outcome()).isEqualTo(AttemptOutcome.LOST);

        assertThat(jobs.counts(jobId).get(SubtaskState.FAILED)).as("the second loss reaches the limit of 2")
                .isEqualTo(1);
        assertThat(subtasks.find(jobId, 0).orElseThrow().failure()).isEqualTo("sandbox-lost");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
