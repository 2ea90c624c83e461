package io.drover.workers.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.workers.WorkerSettings;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real attempt in a real sandbox: what is metered is what the ledger charges, to the last decimal. */
class CostLedgerTest {
    @TempDir
    Path temp;
    private Database db;
    private Drivers drivers;
    private Pools pools;
    private final PriceTable prices = PriceTable.defaults();

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
    void the_sum_of_an_attempts_cost_lines_equals_its_metered_usage_priced() throws Exception {
        String command = """
                i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done
                head -c 100000 /dev/zero > /workspace/out.bin
                echo '{"type":"llm","model":"gpt-4o","inputTokens":1200,"cachedInputTokens":300,"outputTokens":300}' >> "$DROVER_USAGE"
                echo '{"type":"tool","name":"github","durationMs":420}' >> "$DROVER_USAGE"
                echo 'this line is broken' >> "$DROVER_USAGE"
                """;
        long attemptId = runOne(command);

        Map<String, Object> row = row("SELECT active_ms, standby_ms, cpu_ms, memory_limit_bytes, disk_bytes,"
                + " usage_warnings, usage_warning FROM attempt WHERE id = ?", attemptId);
        long active = (Long) row.get("active_ms");
        long standby = (Long) row.get("standby_ms");
        long cpu = (Long) row.get("cpu_ms");
        long memory = (Long) row.get("memory_limit_bytes");
        long disk = (Long) row.get("disk_bytes");
        BigDecimal metered = Quantities.amount(Quantities.gibSeconds(memory, active), prices.memoryGibSecond())
                .add(Quantities.amount(Quantities.seconds(cpu), prices.vcpuSecond()))
                .add(Quantities.amount(Quantities.gibSeconds(memory, standby), prices.standbyGibSecond()))
                .add(Quantities.amount(Quantities.gibSeconds(disk, active + standby), prices.storageGibSecond()))
                .add(new BigDecimal("0.0012").multiply(new BigDecimal("2.50")))
                .add(new BigDecimal("0.0003").multiply(new BigDecimal("1.25")))
                .add(new BigDecimal("0.0003").multiply(new BigDecimal("10.00")));

        BigDecimal ledger = (BigDecimal) row("SELECT sum(amount_usd) AS s FROM cost_line WHERE attempt_id = ?",
                attemptId).get("s");
        assertThat(ledger).isEqualByComparingTo(metered);
        assertThat(active).as("the command ran").isPositive();
        assertThat(cpu).as("the loop used CPU").isPositive();
        assertThat(memory).isEqualTo(64L << 20);
        assertThat(disk).as("the file written, at least").isGreaterThanOrEqualTo(100_000);
        assertThat(row.get("usage_warnings")).isEqualTo(1);
        assertThat((String) row.get("usage_warning")).isEqualTo("line 3: not JSON");
        assertThat(row("SELECT quantity, duration_ms FROM cost_line WHERE attempt_id = ? AND dimension = 'tools'",
                attemptId)).containsEntry("quantity", new BigDecimal("1")).containsEntry("duration_ms", 420L);
    }

    @Test
    void a_task_that_writes_no_usage_file_pays_for_its_sandbox_only() throws Exception {
        long attemptId = runOne("exit 3");

        assertThat(row("SELECT count(*) AS n FROM cost_line WHERE attempt_id = ? AND dimension IN ('tokens', 'tools')",
                attemptId)).containsEntry("n", 0L);
        assertThat(row("SELECT count(*) AS n FROM cost_line WHERE attempt_id = ? AND item = 'memory active'",
                attemptId)).containsEntry("n", 1L);
        assertThat(row("SELECT usage_warnings FROM attempt WHERE id = ?", attemptId)).containsEntry("usage_warnings", 0);
    }

    private long runOne(String command) throws Exception {
        JobStore jobs = new JobStore(db);
        TaskTemplate task = new TaskTemplate(command, Map.of(), 60_000, "process", "host", List.of(), Map.of(), 64, 1,
                RetryPolicy.NONE);
        long jobId = jobs.insert(NewJob.of("cost", "{}", TaskTemplates.toJson(task), "{}", "test")).id();
        jobs.expand(jobId, List.of("{}"));
        ClaimedSubtask claimed = new SubtaskStore(db).claim("w", 1).get(0);
        AttemptRunner runner = new AttemptRunner(new WorkerSettings("w", 1, temp.resolve("logs"), 4096),
                new TaskTemplates(jobs), new OneShotSandbox(pools), new AttemptStore(db), new RunningAttempts(),
                new CostMeter(prices));
        runner.run(claimed);
        return claimed.attemptId();
    }

    private Map<String, Object> row(String sql, long id) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, Object> values = new java.util.HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return values;
            }
        }
    }
}
