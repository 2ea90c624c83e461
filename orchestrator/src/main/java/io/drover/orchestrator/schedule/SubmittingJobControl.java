package io.drover.orchestrator.schedule;

import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobOrigin;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.scheduler.schedule.JobControl;
import io.drover.workers.attempt.RunningAttempts;

/** A schedule's fires go through the same submission as REST jobs; replacing cancels as the REST cancel does. */
public final class SubmittingJobControl implements JobControl {
    private final JobSubmission submission;
    private final JobStore jobs;
    private final RunningAttempts running;
    private final JobCompletion completion;

    public SubmittingJobControl(JobSubmission submission, JobStore jobs, RunningAttempts running, JobCompletion completion) {
        this.submission = submission;
        this.jobs = jobs;
        this.running = running;
        this.completion = completion;
    }

    @Override
    public long start(ScheduleRecord schedule) {
        return submission.submit(Documents.withoutSchedule(schedule.specJson()),
                new JobOrigin(schedule.ownedByRepo() ? "git" : "schedule", schedule.id(), schedule.repoCommit(),
                        schedule.tenant()));
    }

    @Override
    public void cancel(long jobId) {
        if (jobs.cancel(jobId)) {
            // attempts running here stop now; those on other instances see the flag at their next heartbeat
            running.cancelJob(jobId);
            completion.subtaskFinished(jobId);
        }
    }
}
