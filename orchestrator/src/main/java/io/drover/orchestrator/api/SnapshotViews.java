package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.SnapshotRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON shapes of the snapshot endpoints. */
final class SnapshotViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotViews() {
    }

    record Listing(List<Snapshot> items) {
    }

    /**
     * @param setupEnvKeys the names of the setup's environment variables; their values may be
     *                     secrets and are not shown
     */
    record Snapshot(String hash, String driver, String state, String image, List<String> setup,
            List<String> setupEnvKeys, Long sizeBytes, Long buildMs, String builder, String error, Instant createdAt,
            Instant readyAt, Instant lastUsedAt, Instant deletedAt, Users users, List<Copy> copies) {
    }

    /**
     * One node's copy: built there ({@code buildMs}) or fetched from {@code fetchedFrom} ({@code fetchedMs}).
     *
     * @param contentHash what a peer fetching it verifies the layer against
     */
    record Copy(String node, String state, Long sizeBytes, String contentHash, Long buildMs, Long fetchedMs,
            String fetchedFrom, String builder, String error, Instant readyAt, Instant lastUsedAt, Instant deletedAt) {
        static Copy of(BaseCopy c) {
            return new Copy(c.node(), c.state().name(), c.sizeBytes(), c.contentHash(), c.buildMs(), c.fetchedMs(),
                    c.fetchedFrom(), c.builder(), c.error(), c.readyAt(), c.lastUsedAt(), c.deletedAt());
        }
    }

    /** Jobs submitted with this base: how many, and the newest ids first. */
    record Users(long jobs, List<Long> latestJobIds) {
    }

    static Snapshot of(SnapshotRecord r, List<BaseCopy> copies) {
        JsonNode spec = tree(r.specJson());
        List<String> setup = new ArrayList<>();
        spec.path("setup").forEach(step -> setup.add(step.asText()));
        List<String> envKeys = new ArrayList<>();
        spec.path("setupEnv").fieldNames().forEachRemaining(envKeys::add);
        envKeys.sort(null);
        return new Snapshot(r.hash(), r.driver(), r.state().name(), spec.path("image").asText(null), setup, envKeys,
                r.sizeBytes(), r.buildMs(), r.builder(), r.error(), r.createdAt(), r.readyAt(), r.lastUsedAt(),
                r.deletedAt(), new Users(r.jobCount(), r.latestJobs()), copies.stream().map(Copy::of).toList());
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
