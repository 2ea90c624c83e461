package io.drover.persistence.subtask;

import java.time.Instant;

/** A subtask as users see it, with the figures of its latest attempt and the cost of all its attempts. */
public record SubtaskView(
        long id,
        int index,
        String itemJson,
        SubtaskState state,
        int attempts,
        Integer exitCode,
        Long durationMs,
        String failure,
        String outputTail,
        String logPath,
        Instant startedAt,
        Instant finishedAt,
        java.math.BigDecimal costUsd) {
}
