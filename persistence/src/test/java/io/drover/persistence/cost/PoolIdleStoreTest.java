package io.drover.persistence.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Warm-but-idle pool time goes to the jobs that used its base then, to the last decimal. */
class PoolIdleStoreTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private BaseSnapshotStore snapshots;
    private PoolIdleStore store;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        snapshots = new BaseSnapshotStore(db);
        store = new PoolIdleStore(db);
    }

    /** A job on {@code base} whose {@code attempts} attempts ran from {@code from} to {@code to}. */
    private long job(String base, int attempts, Instant from, Instant to) throws Exception {
        long id = jobs.insert(NewJob.of("j", "{}", "{}", "{}", "test")).id();
        snapshots.usedBy(id, base);
        jobs.expand(id, IntStream.range(0, attempts).mapToObj(i -> "{}").toList());
        List<ClaimedSubtask> claimed = subtasks.claim("w", attempts);
        assertThat(claimed).hasSize(attempts);
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE attempt SET started_at = ?, finished_at = ?, state = 'SUCCEEDED' WHERE job_id = ?")) {
            ps.setObject(1, from.atOffset(ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(ZoneOffset.UTC));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        return id;
    }

    private static PoolIdle idle(String base, Instant since, Instant until, String memoryUsd, String standbyUsd) {
        return new PoolIdle(base, "process", "sb", since, until, 15_000, 45_000, 200L, 512L << 20, 0L, List.of(
                new CostLine(CostDimension.OVERHEAD, "pool idle memory", new BigDecimal("7.500000000"), "GiB-s",
                        new BigDecimal("0.000001234722222"), new BigDecimal(memoryUsd), null),
                new CostLine(CostDimension.OVERHEAD, "pool idle standby", new BigDecimal("22.500000000"), "GiB-s",
                        new BigDecimal("0.000000030441400"), new BigDecimal(standbyUsd), null)));
    }

    @Test
    void idle_time_is_split_by_the_attempts_each_job_ran_on_the_base_in_that_period_and_adds_up_exactly()
            throws Exception {
        long two = job("base-b", 2, T0.plusSeconds(10), T0.plusSeconds(50));
        long one = job("base-b", 1, T0.plusSeconds(30), T0.plusSeconds(90));
        long otherBase = job("base-c", 1, T0.plusSeconds(10), T0.plusSeconds(50));
        long before = job("base-b", 1, T0.minusSeconds(100), T0.minusSeconds(50));

        long id = store.record(idle("base-b", T0, T0.plusSeconds(60), "0.000000000010", "0.000009260417"));

        Map<Long, BigDecimal> byJob = amountsByJob(id);
        assertThat(byJob).containsOnlyKeys(two, one);
        assertThat(byJob.get(two)).as("2/3 of each line, rounded").isEqualByComparingTo("0.000006173618");
        assertThat(byJob.get(one)).as("the remainder").isEqualByComparingTo("0.000003086809");
        assertThat(byJob.get(two).add(byJob.get(one))).isEqualByComparingTo("0.000009260427");
        assertThat(value("SELECT amount_usd FROM pool_idle WHERE id = ?", id)).isEqualByComparingTo("0.000009260427");
        assertThat(value("SELECT allocated_usd FROM pool_idle WHERE id = ?", id)).isEqualByComparingTo("0.000009260427");
        assertThat(value("SELECT sum(quantity) FROM cost_line WHERE pool_idle_id = ? AND item = 'pool idle memory'", id))
                .as("quantities are split the same way").isEqualByComparingTo("7.5");
        assertThat(value("SELECT count(*) FROM cost_line WHERE job_id = ? OR job_id = ?", otherBase, before)).isZero();
    }

    @Test
    void with_no_attempt_in_the_period_the_job_that_used_the_base_last_pays_it() throws Exception {
        long older = job("base-b", 1, T0.minusSeconds(500), T0.minusSeconds(400));
        long latest = job("base-b", 1, T0.minusSeconds(300), T0.minusSeconds(200));

        long id = store.record(idle("base-b", T0, T0.plusSeconds(60), "0.000000000010", "0.000009260417"));

        assertThat(amountsByJob(id)).containsOnlyKeys(latest);
        assertThat(amountsByJob(id).get(latest)).isEqualByComparingTo("0.000009260427");
        assertThat(value("SELECT count(*) FROM cost_line WHERE job_id = ?", older)).isZero();
    }

    @Test
    void idle_time_of_a_base_no_job_used_stays_unallocated() throws Exception {
        long id = store.record(idle("exec-api-base", T0, T0.plusSeconds(60), "0.000000000010", "0.000009260417"));

        assertThat(amountsByJob(id)).isEmpty();
        assertThat(value("SELECT amount_usd FROM pool_idle WHERE id = ?", id)).isEqualByComparingTo("0.000009260427");
        assertThat(value("SELECT allocated_usd FROM pool_idle WHERE id = ?", id)).isEqualByComparingTo("0");
    }

    private Map<Long, BigDecimal> amountsByJob(long idleId) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT job_id, sum(amount_usd) FROM cost_line WHERE pool_idle_id = ? AND dimension = 'overhead'"
                        + " AND subtask_id IS NULL AND attempt_id IS NULL GROUP BY job_id")) {
            ps.setLong(1, idleId);
            Map<Long, BigDecimal> amounts = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    amounts.put(rs.getLong(1), rs.getBigDecimal(2));
                }
            }
            return amounts;
        }
    }

    private BigDecimal value(String sql, long... ids) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.length; i++) {
                ps.setLong(i + 1, ids[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }
}
