package io.drover.workers.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.cost.PoolIdleStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.workers.WorkerSettings;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.snapshot.BaseRecording;
import io.drover.workers.snapshot.RecordingDriver;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real job (embedded PostgreSQL, the process driver, a base with a setup, a warm pool that
 * parks idle clones): every cost line of the job, attempts' and pool overhead's, equals what was
 * metered and recorded beside it, priced; and the base's build is priced once.
 */
class JobLedgerTest {
    @TempDir
    Path temp;
    private final PriceTable prices = PriceTable.defaults();
    private Database db;
    private ProcessDriverSettings settings;
    private Drivers drivers;
    private Pools pools;
    private IdleMeters idleMeters;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.fresh();
        settings = ProcessDriverSettings.defaults(temp.resolve("sandboxes"));
        BaseRecording recording = new BaseRecording(new BaseCopyStore(db), settings.buildLock(), "node", "w",
                Clock.systemUTC(), Duration.ofMinutes(1), Optional.empty());
        drivers = new Drivers(List.of(new RecordingDriver(new ProcessDriver(settings), recording,
                new SetupMeter(prices, settings.setupResources()))));
        PoolIdleStore idle = new PoolIdleStore(db);
        idleMeters = new IdleMeters(prices, idle::record);
        // Warm clones park after 100 ms, so the overhead has standby time as well as active time.
        pools = new Pools(drivers, new PoolSettings(16, 1, 2, Duration.ofMillis(100), Duration.ofMillis(50)),
                Clock.systemUTC(), idleMeters::of);
    }

    @AfterEach
    void tearDown() {
        pools.close();
        idleMeters.close();
        drivers.close();
    }

    @Test
    void the_sum_of_a_jobs_cost_lines_equals_what_its_attempts_and_its_pools_idle_clones_were_metered_at() throws Exception {
        TaskTemplate task = new TaskTemplate("""
                cat /workspace/built.txt
                i=0; while [ $i -lt 5000 ]; do i=$((i+1)); done
                head -c 50000 /dev/zero > /workspace/out.bin
                echo '{"type":"llm","model":"gpt-4o-mini","inputTokens":1000}' >> "$DROVER_USAGE"
                """, Map.of(), 60_000, "process", "host", List.of("echo built > /workspace/built.txt"), Map.of(), 64, 1,
                RetryPolicy.NONE);
        JobStore jobs = new JobStore(db);
        long jobId = jobs.insert(NewJob.of("ledger", "{}", TaskTemplates.toJson(task), "{}", "test")).id();
        new BaseSnapshotStore(db).usedBy(jobId, new BaseSpec(task.image(), task.setup(), task.setupEnv()).hash());
        jobs.expand(jobId, List.of("{}", "{}", "{}"));
        AttemptRunner runner = new AttemptRunner(new WorkerSettings("w", 1, temp.resolve("logs"), 4096),
                new TaskTemplates(jobs), new OneShotSandbox(pools), new AttemptStore(db), new RunningAttempts(),
                new CostMeter(prices));
        SandboxPool pool = pools.get("process");

        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                // The next subtask takes a warm clone that has waited, and stood by, in the pool.
                await().atMost(Duration.ofSeconds(20)).until(() -> pool.counts().get(SandboxState.STANDBY) >= 1);
            }
            ClaimedSubtask claimed = new SubtaskStore(db).claim("w", 1).get(0);
            var result = runner.run(claimed).orElseThrow();
            assertThat(result.outcome().name()).as(result.outputTail()).isEqualTo("SUCCEEDED");
        }
        // One more clone waits unused: closing the pool destroys it, and its wait is overhead too.
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.counts().get(SandboxState.STANDBY) >= 1);
        pools.close();
        idleMeters.flush();

        BigDecimal attempts = BigDecimal.ZERO;
        for (Map<String, Object> a : rows("SELECT active_ms, standby_ms, cpu_ms, memory_limit_bytes, disk_bytes"
                + " FROM attempt WHERE job_id = ?", jobId)) {
            long active = (Long) a.get("active_ms");
            long standby = (Long) a.get("standby_ms");
            long memory = (Long) a.get("memory_limit_bytes");
            attempts = attempts.add(Quantities.amount(Quantities.gibSeconds(memory, active), prices.memoryGibSecond()))
                    .add(Quantities.amount(Quantities.seconds((Long) a.get("cpu_ms")), prices.vcpuSecond()))
                    .add(Quantities.amount(Quantities.gibSeconds(memory, standby), prices.standbyGibSecond()))
                    .add(Quantities.amount(Quantities.gibSeconds((Long) a.get("disk_bytes"), active + standby),
                            prices.storageGibSecond()))
                    .add(new BigDecimal("0.001").multiply(new BigDecimal("0.15")));
        }
        BigDecimal overhead = BigDecimal.ZERO;
        List<Map<String, Object>> idle = rows("SELECT active_ms, standby_ms, cpu_ms, memory_limit_bytes, disk_bytes,"
                + " amount_usd, allocated_usd FROM pool_idle WHERE base_hash = (SELECT base_hash FROM job WHERE id = ?)",
                jobId);
        for (Map<String, Object> p : idle) {
            long active = (Long) p.get("active_ms");
            long standby = (Long) p.get("standby_ms");
            long memory = (Long) p.get("memory_limit_bytes");
            BigDecimal priced = Quantities.amount(Quantities.gibSeconds(memory, active), prices.memoryGibSecond())
                    .add(Quantities.amount(Quantities.seconds((Long) p.get("cpu_ms")), prices.vcpuSecond()))
                    .add(Quantities.amount(Quantities.gibSeconds(memory, standby), prices.standbyGibSecond()))
                    .add(Quantities.amount(Quantities.gibSeconds((Long) p.get("disk_bytes"), active + standby),
                            prices.storageGibSecond()));
            assertThat((BigDecimal) p.get("amount_usd")).isEqualByComparingTo(priced);
            assertThat((BigDecimal) p.get("allocated_usd")).as("the only job on the base pays all of it")
                    .isEqualByComparingTo(priced);
            overhead = overhead.add(priced);
        }

        assertThat(sum("SELECT sum(amount_usd) FROM cost_line WHERE job_id = ? AND attempt_id IS NOT NULL", jobId))
                .isEqualByComparingTo(attempts);
        assertThat(sum("SELECT sum(amount_usd) FROM cost_line WHERE job_id = ? AND dimension = 'overhead'", jobId))
                .isEqualByComparingTo(overhead);
        assertThat(sum("SELECT sum(amount_usd) FROM cost_line WHERE job_id = ?", jobId))
                .as("the whole ledger of the job").isEqualByComparingTo(attempts.add(overhead));
        assertThat(idle).as("two warm clones were leased after waiting; one more was destroyed unused at close")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(sum("SELECT sum(standby_ms) FROM pool_idle WHERE amount_usd > 0 AND ? > 0", jobId))
                .as("parked clones stood by").isPositive();

        Map<String, Object> build = rows("SELECT build_ms, memory_limit_bytes, vcpus, setup_usd FROM base_build"
                + " WHERE base_hash = (SELECT base_hash FROM job WHERE id = ?)", jobId).get(0);
        long buildMs = (Long) build.get("build_ms");
        assertThat(buildMs).as("the setup ran").isPositive();
        assertThat((BigDecimal) build.get("setup_usd")).as("priced once, at the setup sandbox's size")
                .isEqualByComparingTo(Quantities.amount(Quantities.gibSeconds(2L << 30, buildMs), prices.memoryGibSecond())
                        .add(Quantities.amount(Quantities.seconds(buildMs).multiply(BigDecimal.valueOf(2)),
                                prices.vcpuSecond())));
        assertThat(sum("SELECT count(*) FROM base_build WHERE ? > 0", jobId)).as("one build for three subtasks")
                .isEqualByComparingTo("1");
    }

    private BigDecimal sum(String sql, long id) throws Exception {
        Object value = rows(sql, id).get(0).values().iterator().next();
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
    }

    private List<Map<String, Object>> rows(String sql, long id) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> values = new java.util.HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(values);
                }
            }
            return rows;
        }
    }
}
