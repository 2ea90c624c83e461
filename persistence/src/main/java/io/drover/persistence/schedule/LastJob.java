package io.drover.persistence.schedule;

import io.drover.persistence.job.JobState;

/** The newest job a schedule started, and its state now. */
public record LastJob(long id, JobState state) {
}
