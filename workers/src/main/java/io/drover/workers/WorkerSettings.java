package io.drover.workers;

import java.nio.file.Path;

/**
 * @param owner     this worker set's identity in attempt rows; unique per process
 * @param capacity  subtasks this process runs at once
 * @param logRoot   where full logs of attempts are written
 * @param tailBytes how much of the end of each attempt's output is kept in the database
 */
public record WorkerSettings(String owner, int capacity, Path logRoot, int tailBytes) {
}
