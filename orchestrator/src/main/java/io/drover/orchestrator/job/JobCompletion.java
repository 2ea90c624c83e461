package io.drover.orchestrator.job;

import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends jobs whose subtasks are all terminal. */
public final class JobCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(JobCompletion.class);

    private final JobStore jobs;

    public JobCompletion(JobStore jobs) {
        this.jobs = jobs;
    }

    public Optional<JobState> subtaskFinished(long jobId) {
        Optional<JobState> ended = jobs.completeIfDone(jobId);
        ended.ifPresent(state -> LOG.info("Job {} ended {}", jobId, state));
        return ended;
    }

    /** Ends any job whose last completion check was missed (a crash between commit and check). */
    public int sweep() {
        int ended = 0;
        for (long jobId : jobs.completable()) {
            if (subtaskFinished(jobId).isPresent()) {
                ended++;
            }
        }
        return ended;
    }
}
