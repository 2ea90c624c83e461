package io.drover.persistence.cost;

import io.drover.persistence.Database;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Records warm-but-idle pool time and allocates it, in the same transaction, to the jobs that used
 * its base in that period: each job's share is its number of attempts on the base that ran in the
 * period over all of them. When none ran then, the newest job on the base that had started an
 * attempt by the end of the period takes it all (its lease is what the clone was topped up for). Shares are
 * rounded, and the last job takes the remainder, so the lines add up to the period's amount exactly.
 */
public final class PoolIdleStore {
    private final Database db;

    public PoolIdleStore(Database db) {
        this.db = db;
    }

    private record Share(long jobId, long weight) {
    }

    /** Returns the id of the recorded period. */
    public long record(PoolIdle idle) {
        return db.inTransaction(c -> {
            BigDecimal amount = idle.lines().stream().map(CostLine::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<Share> shares = shares(c, idle);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pool_idle (base_hash, driver, sandbox_id, since,"
                    + " until, active_ms, standby_ms, cpu_ms, memory_limit_bytes, disk_bytes, amount_usd, allocated_usd)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, idle.baseHash());
                ps.setString(2, idle.driver());
                ps.setString(3, idle.sandboxId());
                ps.setObject(4, idle.since().atOffset(ZoneOffset.UTC));
                ps.setObject(5, idle.until().atOffset(ZoneOffset.UTC));
                ps.setLong(6, idle.activeMs());
                ps.setLong(7, idle.standbyMs());
                ps.setObject(8, idle.cpuMs(), Types.BIGINT);
                ps.setLong(9, idle.memoryLimitBytes());
                ps.setObject(10, idle.diskBytes(), Types.BIGINT);
                ps.setBigDecimal(11, amount);
                ps.setBigDecimal(12, shares.isEmpty() ? BigDecimal.ZERO : amount);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (!shares.isEmpty()) {
                allocate(c, id, idle.lines(), shares);
            }
            return id;
        });
    }

    private static List<Share> shares(Connection c, PoolIdle idle) throws SQLException {
        List<Share> shares = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.job_id, count(*) FROM attempt a JOIN job j ON j.id = a.job_id
                 WHERE j.base_hash = ? AND (j.finished_at IS NULL OR j.finished_at >= ?)
                   AND a.started_at <= ? AND coalesce(a.finished_at, now()) >= ?
                 GROUP BY a.job_id ORDER BY a.job_id
                """)) {
            ps.setString(1, idle.baseHash());
            ps.setObject(2, idle.since().atOffset(ZoneOffset.UTC));
            ps.setObject(3, idle.until().atOffset(ZoneOffset.UTC));
            ps.setObject(4, idle.since().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shares.add(new Share(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        if (!shares.isEmpty()) {
            return shares;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT j.id FROM job j
                 WHERE j.base_hash = ?
                   AND EXISTS (SELECT 1 FROM attempt a WHERE a.job_id = j.id AND a.started_at <= ?)
                 ORDER BY j.id DESC LIMIT 1
                """)) {
            ps.setString(1, idle.baseHash());
            ps.setObject(2, idle.until().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    shares.add(new Share(rs.getLong(1), 1));
                }
            }
        }
        return shares;
    }

    private static void allocate(Connection c, long idleId, List<CostLine> lines, List<Share> shares)
            throws SQLException {
        long total = shares.stream().mapToLong(Share::weight).sum();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_line (job_id, dimension, item, quantity, unit,"
                + " unit_price_usd, amount_usd, pool_idle_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CostLine line : lines) {
                BigDecimal quantityLeft = line.quantity();
                BigDecimal amountLeft = line.amountUsd();
                for (int i = 0; i < shares.size(); i++) {
                    Share share = shares.get(i);
                    boolean last = i == shares.size() - 1;
                    BigDecimal quantity = last ? quantityLeft : part(line.quantity(), share.weight(), total);
                    BigDecimal amount = last ? amountLeft : part(line.amountUsd(), share.weight(), total);
                    quantityLeft = quantityLeft.subtract(quantity);
                    amountLeft = amountLeft.subtract(amount);
                    ps.setLong(1, share.jobId());
                    ps.setString(2, line.dimension().column());
                    ps.setString(3, line.item());
                    ps.setBigDecimal(4, quantity);
                    ps.setString(5, line.unit());
                    ps.setBigDecimal(6, line.unitPriceUsd());
                    ps.setBigDecimal(7, amount);
                    ps.setLong(8, idleId);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static BigDecimal part(BigDecimal whole, long weight, long total) {
        return whole.multiply(BigDecimal.valueOf(weight)).divide(BigDecimal.valueOf(total), whole.scale(),
                RoundingMode.HALF_EVEN);
    }
}
