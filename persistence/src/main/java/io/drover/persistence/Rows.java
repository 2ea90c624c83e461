package io.drover.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Small readers for nullable columns. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public static Long longValue(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** Cursors are opaque to clients but are simply the last id seen, newest first. */
    public static Optional<Long> cursor(Optional<String> cursor) {
        if (cursor.isEmpty() || cursor.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(cursor.get()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor: expected a value returned as nextCursor by a previous page");
        }
    }
}
