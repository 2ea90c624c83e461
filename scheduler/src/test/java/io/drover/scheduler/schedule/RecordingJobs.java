package io.drover.scheduler.schedule;

import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.schedule.ScheduleRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starts real job rows (left SUBMITTED, i.e. running as far as overlap is concerned) and remembers them. */
final class RecordingJobs implements JobControl {
    final List<Long> started = new CopyOnWriteArrayList<>();
    final List<Long> cancelled = new CopyOnWriteArrayList<>();
    private final JobStore jobs;

    RecordingJobs(JobStore jobs) {
        this.jobs = jobs;
    }

    @Override
    public long start(ScheduleRecord schedule) {
        long id = jobs.insert(NewJob.of(schedule.name(), "{}", "{}", "{}", "schedule").withOrigin(schedule.id(), null)).id();
        started.add(id);
        return id;
    }

    @Override
    public void cancel(long jobId) {
        jobs.cancel(jobId);
        jobs.completeIfDone(jobId);
        cancelled.add(jobId);
    }
}
