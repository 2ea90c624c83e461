package io.drover.scheduler.gitsync;

import java.util.SortedMap;

/** The spec files of a branch at one commit: path to content, sorted by path. */
public record RepoSnapshot(String commit, SortedMap<String, String> files) {
}
