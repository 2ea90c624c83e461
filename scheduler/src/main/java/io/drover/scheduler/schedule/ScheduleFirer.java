package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.FireOutcome;
import io.drover.persistence.schedule.FireTrigger;
import io.drover.persistence.schedule.LastJob;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.persistence.schedule.ScheduleStore;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fire of a schedule: applies its overlap policy, starts a job, and records what it did. The
 * schedule's row lock is held throughout, so concurrent fires of one schedule decide in turn.
 */
public final class ScheduleFirer {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirer.class);

    private final ScheduleStore schedules;
    private final JobControl jobs;
    private final String instance;

    public ScheduleFirer(ScheduleStore schedules, JobControl jobs, String instance) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.instance = instance;
    }

    public FireResult fire(long scheduleId, FireTrigger trigger, Instant scheduledAt) {
        return schedules.whileLocked(scheduleId, found -> found.map(s -> fire(s, trigger, scheduledAt))
                .orElseGet(() -> {
                    LOG.info("Schedule {} fired but no longer exists; its trigger is removed at the next reconcile", scheduleId);
                    return FireResult.gone();
                }));
    }

    private FireResult fire(ScheduleRecord s, FireTrigger trigger, Instant scheduledAt) {
        if (trigger == FireTrigger.CRON && s.settings().suspended()) {
            return record(s, trigger, scheduledAt, FireOutcome.SKIPPED, "the schedule is suspended", null);
        }
        Optional<LastJob> running = schedules.lastJob(s.id()).filter(j -> !j.state().isTerminal());
        String note = null;
        if (running.isPresent()) {
            LastJob last = running.get();
            switch (s.settings().overlap()) {
                case FORBID -> {
                    return record(s, trigger, scheduledAt, FireOutcome.SKIPPED,
                            "job " + last.id() + " is still " + last.state() + " (overlap: forbid)", null);
                }
                case REPLACE -> {
                    jobs.cancel(last.id());
                    note = "cancelled job " + last.id() + ", which was still " + last.state() + " (overlap: replace)";
                }
                case ALLOW -> note = "job " + last.id() + " is still " + last.state() + " (overlap: allow)";
            }
        }
        try {
            long jobId = jobs.start(s);
            LOG.info("Schedule {} ({}) started job {}", s.id(), s.name(), jobId);
            return record(s, trigger, scheduledAt, FireOutcome.STARTED, note, jobId);
        } catch (RuntimeException e) {
            LOG.warn("Schedule {} ({}) could not start its job: {}; the next fire tries again", s.id(), s.name(),
                    e.getMessage());
            return record(s, trigger, scheduledAt, FireOutcome.FAILED, e.getMessage(), null);
        }
    }

    private FireResult record(ScheduleRecord s, FireTrigger trigger, Instant scheduledAt, FireOutcome outcome,
            String reason, Long jobId) {
        schedules.recordFire(s.id(), trigger, scheduledAt, outcome, reason, jobId, instance);
        if (outcome == FireOutcome.SKIPPED) {
            LOG.info("Schedule {} ({}) skipped a fire: {}", s.id(), s.name(), reason);
        }
        return new FireResult(Optional.of(outcome), reason, jobId);
    }
}
