package io.drover.persistence.repo;

/** A valid spec of a repository's last sync, runnable by name; {@code commit} is the commit it was read at. */
public record RepoSpec(long repoId, String name, String path, int line, String commit, String specJson,
        boolean scheduled) {
}
