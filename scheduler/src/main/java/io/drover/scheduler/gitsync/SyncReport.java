package io.drover.scheduler.gitsync;

import io.drover.persistence.repo.SyncChanges;
import java.util.List;

/**
 * What one sync did.
 *
 * @param error set when the repository could not be read at all; nothing was applied then
 */
public record SyncReport(String commit, List<SyncProblem> problems, SyncChanges changes, String error) {
    static SyncReport failed(String error) {
        return new SyncReport(null, List.of(), SyncChanges.NONE, error);
    }
}
