package io.drover.persistence.attempt;

import io.drover.persistence.cost.CostLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Writes an attempt's metered figures and its cost lines, inside the caller's transaction. */
final class UsageRows {
    private UsageRows() {
    }

    static void write(Connection c, long attemptId, AttemptUsage u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET active_ms = ?, standby_ms = ?, cpu_ms = ?,"
                + " memory_limit_bytes = ?, vcpus = ?, disk_bytes = ?, setup_ms = ?, usage_warnings = ?,"
                + " usage_warning = ? WHERE id = ?")) {
            ps.setLong(1, u.activeMs());
            ps.setLong(2, u.standbyMs());
            ps.setObject(3, u.cpuMs(), Types.BIGINT);
            ps.setLong(4, u.memoryLimitBytes());
            ps.setBigDecimal(5, java.math.BigDecimal.valueOf(u.vcpus()));
            ps.setObject(6, u.diskBytes(), Types.BIGINT);
            ps.setObject(7, u.setupMs(), Types.BIGINT);
            ps.setInt(8, u.usageWarnings());
            ps.setString(9, u.usageWarning());
            ps.setLong(10, attemptId);
            ps.executeUpdate();
        }
        insertLines(c, attemptId, u.lines());
    }

    /** Cost lines of an attempt; the job and subtask are the attempt's. */
    static void insertLines(Connection c, long attemptId, List<CostLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_line (job_id, subtask_id, attempt_id,"
                + " dimension, item, quantity, unit, unit_price_usd, amount_usd, duration_ms)"
                + " SELECT a.job_id, a.subtask_id, a.id, ?, ?, ?, ?, ?, ?, ? FROM attempt a WHERE a.id = ?")) {
            for (CostLine line : lines) {
                ps.setString(1, line.dimension().column());
                ps.setString(2, line.item());
                ps.setBigDecimal(3, line.quantity());
                ps.setString(4, line.unit());
                ps.setBigDecimal(5, line.unitPriceUsd());
                ps.setBigDecimal(6, line.amountUsd());
                ps.setObject(7, line.durationMs(), Types.BIGINT);
                ps.setLong(8, attemptId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
