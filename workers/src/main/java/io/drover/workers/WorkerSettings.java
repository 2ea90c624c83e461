package io.drover.workers;

import java.nio.file.Path;

/**
 * @param owner           this worker set's identity in attempt rows; unique per process
 * @param capacity        subtasks this process runs at once
 * @param logRoot         where full logs of attempts are written
 * @param tailBytes       how much of the end of each attempt's output is kept in the database
 * @param maxLostAttempts a subtask that lost this many attempts to its sandbox or worker fails instead
 */
public record WorkerSettings(String owner, int capacity, Path logRoot, int tailBytes, int maxLostAttempts) {
    public static final int DEFAULT_MAX_LOST_ATTEMPTS = 3;

    public WorkerSettings(String owner, int capacity, Path logRoot, int tailBytes) {
        this(owner, capacity, logRoot, tailBytes, DEFAULT_MAX_LOST_ATTEMPTS);
    }
}
