package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.ScheduleRecord;

/** What a fire needs from the job side of Drover; implemented where jobs are submitted. */
public interface JobControl {
    /**
     * Submits one run of the schedule's spec and returns the new job's id. Throws with a message a
     * person can act on when the spec no longer validates (e.g. the server's limits changed).
     */
    long start(ScheduleRecord schedule);

    /** Cancels a job that has not ended, stopping its running subtasks. */
    void cancel(long jobId);
}
