package io.drover.orchestrator.api;

import java.util.Optional;

/** Parsing and checking of query parameters, with errors that name the parameter. */
final class Params {
    private Params() {
    }

    static int limit(Integer limit, int defaultLimit, int max) {
        return limit(limit, defaultLimit, max, "limit");
    }

    static int limit(Integer limit, int defaultLimit, int max, String name) {
        if (limit == null) {
            return defaultLimit;
        }
        if (limit < 1 || limit > max) {
            throw new BadParameterException(name, "must be from 1 to " + max);
        }
        return limit;
    }

    static <E extends Enum<E>> Optional<E> state(String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value.trim().toUpperCase()));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("state", "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A duration written {@code 30d}, {@code 12h} or {@code 90m}; empty for any other form. */
    static Optional<java.time.Duration> shorthand(String value) {
        if (value == null || !value.matches("\\d{1,6}[dhm]")) {
            return Optional.empty();
        }
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        return Optional.of(switch (value.charAt(value.length() - 1)) {
            case 'd' -> java.time.Duration.ofDays(n);
            case 'h' -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofMinutes(n);
        });
    }

    static Optional<String> cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return Optional.empty();
        }
        if (!cursor.matches("\\d{1,18}")) {
            throw new BadParameterException("cursor", "must be a nextCursor value returned by a previous page");
        }
        return Optional.of(cursor);
    }
}
