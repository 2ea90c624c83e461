package io.drover.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API. */
public final class Views {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of an attempt's output a subtask listing shows; the log endpoint has all of it. */
    static final int LISTING_TAIL_CHARS = 2048;

    private Views() {
    }

    public record Submitted(long id, String state) {
    }

    public record Job(long id, String name, String state, JsonNode labels, String source, Integer subtasks,
            Map<SubtaskState, Long> counts, boolean cancelRequested, String error, Instant createdAt,
            Instant startedAt, Instant finishedAt) {
    }

    public record Subtask(int index, JsonNode item, String state, int attempts, Integer exitCode, Long durationMs,
            String failure, String outputTail, Instant startedAt, Instant finishedAt, BigDecimal costUsd) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Retried(long id, int subtasks) {
    }

    static Job job(JobRecord r, Map<SubtaskState, Long> counts) {
        return new Job(r.id(), r.name(), r.state().name(), tree(r.labelsJson()), r.source(), r.subtaskCount(), counts,
                r.cancelRequested(), r.error(), r.createdAt(), r.startedAt(), r.finishedAt());
    }

    static Subtask subtask(SubtaskView v) {
        String tail = v.outputTail();
        if (tail != null && tail.length() > LISTING_TAIL_CHARS) {
            tail = tail.substring(tail.length() - LISTING_TAIL_CHARS);
        }
        return new Subtask(v.index(), tree(v.itemJson()), v.state().name(), v.attempts(), v.exitCode(), v.durationMs(),
                v.failure(), tail, v.startedAt(), v.finishedAt(), v.costUsd());
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
