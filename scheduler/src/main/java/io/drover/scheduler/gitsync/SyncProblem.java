package io.drover.scheduler.gitsync;

/** Why one spec of a repository was not applied: the file, the line, the field and what to fix. */
public record SyncProblem(String path, int line, String field, String message) {
}
