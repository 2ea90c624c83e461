package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.repo.RepoRecord;
import io.drover.persistence.repo.RepoSpec;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of repositories. A secret appears by name only. */
public final class RepoViews {
    private RepoViews() {
    }

    /** The body of {@code POST /api/v1/repos}; branch and path have defaults. */
    public record NewRepo(String url, String branch, String path, String secret) {
    }

    public record Repo(long id, String url, String branch, String path, String secret, LastSync lastSync,
            List<Spec> specs, Instant createdAt) {
    }

    /** @param problems per file and line: {path, line, field, message} */
    public record LastSync(String commit, Instant at, String error, JsonNode problems) {
    }

    public record Spec(String name, String path, int line, boolean scheduled, String commit) {
    }

    static Repo repo(RepoRecord r, List<RepoSpec> specs) {
        LastSync sync = r.lastSyncAt() == null ? null
                : new LastSync(r.lastSyncCommit(), r.lastSyncAt(), r.lastSyncError(), Views.tree(r.lastSyncProblemsJson()));
        return new Repo(r.id(), r.url(), r.branch(), r.pathGlob(), r.secret(), sync,
                specs.stream().map(s -> new Spec(s.name(), s.path(), s.line(), s.scheduled(), s.commit())).toList(),
                r.createdAt());
    }
}
