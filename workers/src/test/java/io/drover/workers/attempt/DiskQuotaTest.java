package io.drover.workers.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.workers.WorkerSettings;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real subtask in a real sandbox that writes past its spec's diskMb. */
@Timeout(120)
class DiskQuotaTest {
    private static final long MIB = 1024 * 1024;

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
    void a_subtask_that_fills_its_disk_fails_as_disk_quota_is_not_retried_and_pays_for_what_it_wrote() throws Exception {
        // A policy that retries any nonzero exit: the full disk must still not run again.
        RetryPolicy retryAll = new RetryPolicy(3, 10, 2.0, 100, Set.of("nonzero-exit", "timeout", "oom"), Set.of(),
                Set.of());
        TaskTemplate task = new TaskTemplate("dd if=/dev/zero of=/workspace/big bs=1M count=100", Map.of(), 60_000,
                "process", "host", List.of(), Map.of(), 64, 1, retryAll, NetworkPolicy.NONE, null, null,
                TaskTemplate.DEFAULT_STANDBY_AFTER_MS, 0, 32, null);
        JobStore jobs = new JobStore(db);
        long jobId = jobs.insert(NewJob.of("disk", "{}", TaskTemplates.toJson(task), "{}", "test")).id();
        jobs.expand(jobId, List.of("{}"));
        ClaimedSubtask claimed = new SubtaskStore(db).claim("w", 1).get(0);
        AttemptRunner runner = new AttemptRunner(new WorkerSettings("w", 1, temp.resolve("logs"), 4096),
                new TaskTemplates(jobs), new OneShotSandbox(pools), new AttemptStore(db), new RunningAttempts(),
                new CostMeter(PriceTable.defaults()));

        runner.run(claimed);

        Map<String, Object> attempt = row("SELECT state, failure, disk_bytes, output_tail FROM attempt WHERE id = ?",
                claimed.attemptId());
        assertThat(attempt).containsEntry("state", "FAILED").containsEntry("failure", "disk-quota");
        assertThat((String) attempt.get("output_tail")).contains("No space left on device")
                .contains("disk full").contains("diskMb");
        assertThat((Long) attempt.get("disk_bytes")).isGreaterThan(24 * MIB).isLessThanOrEqualTo(36 * MIB);
        assertThat(row("SELECT state, attempts FROM subtask WHERE id = ?", claimed.subtaskId()))
                .containsEntry("state", "FAILED").containsEntry("attempts", 1);
        assertThat(new SubtaskStore(db).claim("w", 1)).as("nothing runs again").isEmpty();
        assertThat(row("SELECT count(*) AS n FROM cost_line WHERE attempt_id = ? AND item = 'workspace'",
                claimed.attemptId())).containsEntry("n", 1L);
    }

    private Map<String, Object> row(String sql, long id) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, Object> values = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return values;
            }
        }
    }
}
