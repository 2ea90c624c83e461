package io.drover.persistence.repo;

import java.util.List;
import java.util.Set;

/**
 * The outcome of reading a repository at one commit, ready to be applied.
 *
 * @param specs        every valid spec
 * @param keptNames    names of specs that failed validation: their schedules stay as they were
 * @param brokenPaths  files that could not be parsed at all: the schedules they own stay as they were
 * @param problemsJson the problems to show, per file and line
 */
public record SyncResult(String commit, List<SyncedSpec> specs, Set<String> keptNames, Set<String> brokenPaths,
        String problemsJson) {
}
