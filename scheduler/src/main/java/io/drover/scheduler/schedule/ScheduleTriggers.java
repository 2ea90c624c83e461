package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.Misfire;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.persistence.schedule.ScheduleSettings;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Quartz's triggers (one per schedule, in the clustered JDBC store) in line with the schedule
 * table, which is the truth. Changes go to the table first, then here; {@link #reconcile} repairs
 * any difference left by a crash between the two.
 */
public final class ScheduleTriggers implements AutoCloseable {
    static final String GROUP = "drover-schedules";
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTriggers.class);

    private final Scheduler quartz;

    private ScheduleTriggers(Scheduler quartz) {
        this.quartz = quartz;
    }

    /** A stopped scheduler; {@link #start} it once the database is migrated and the firer's dependencies exist. */
    public static ScheduleTriggers create(DataSource dataSource, QuartzSettings settings, Supplier<ScheduleFirer> firer) {
        return new ScheduleTriggers(QuartzFactory.create(dataSource, settings, (bundle, scheduler) -> {
            if (bundle.getJobDetail().getJobClass() != FireJob.class) {
                throw new SchedulerException("unexpected job class " + bundle.getJobDetail().getJobClass());
            }
            return new FireJob(firer.get());
        }));
    }

    public void start() {
        call(() -> {
            quartz.start();
            return null;
        });
    }

    /** Quartz's id of this instance in the cluster. */
    public String instanceId() {
        return call(quartz::getSchedulerInstanceId);
    }

    /** Creates or replaces the schedule's trigger; a suspended schedule's trigger is left paused. */
    public void put(long scheduleId, ScheduleSettings settings) {
        JobDetail job = JobBuilder.newJob(FireJob.class).withIdentity(jobKey(scheduleId))
                .usingJobData(FireJob.SCHEDULE_ID, Long.toString(scheduleId)).storeDurably(false).build();
        CronScheduleBuilder cron = CronScheduleBuilder.cronSchedule(settings.cron())
                .inTimeZone(TimeZone.getTimeZone(ZoneId.of(settings.timeZone())));
        cron = settings.misfire() == Misfire.SKIP ? cron.withMisfireHandlingInstructionDoNothing()
                : cron.withMisfireHandlingInstructionFireAndProceed();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey(scheduleId)).forJob(job)
                .withSchedule(cron).build();
        call(() -> {
            quartz.scheduleJob(job, Set.of(trigger), true);
            if (settings.suspended()) {
                quartz.pauseTrigger(triggerKey(scheduleId));
            }
            return null;
        });
    }

    public void remove(long scheduleId) {
        call(() -> quartz.deleteJob(jobKey(scheduleId)));
    }

    public void suspend(long scheduleId) {
        call(() -> {
            quartz.pauseTrigger(triggerKey(scheduleId));
            return null;
        });
    }

    /** Resumes a paused trigger; fires missed meanwhile follow the schedule's misfire policy. */
    public void resume(long scheduleId) {
        call(() -> {
            quartz.resumeTrigger(triggerKey(scheduleId));
            return null;
        });
    }

    /** Makes the triggers match {@code schedules}: adds missing ones, fixes changed ones, removes orphans. */
    public int reconcile(List<ScheduleRecord> schedules) {
        return call(() -> {
            int fixed = 0;
            Set<TriggerKey> wanted = new HashSet<>();
            for (ScheduleRecord s : schedules) {
                TriggerKey key = triggerKey(s.id());
                wanted.add(key);
                if (!matches(quartz.getTrigger(key), key, s.settings())) {
                    put(s.id(), s.settings());
                    fixed++;
                }
            }
            for (TriggerKey key : quartz.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
                if (!wanted.contains(key)) {
                    quartz.deleteJob(new JobKey(key.getName(), GROUP));
                    fixed++;
                }
            }
            if (fixed > 0) {
                LOG.info("Reconciled {} Quartz triggers with the schedule table", fixed);
            }
            return fixed;
        });
    }

    private boolean matches(Trigger trigger, TriggerKey key, ScheduleSettings s) throws SchedulerException {
        if (!(trigger instanceof CronTrigger cron)) {
            return false;
        }
        int misfire = s.misfire() == Misfire.SKIP ? CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING
                : CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
        boolean paused = quartz.getTriggerState(key) == Trigger.TriggerState.PAUSED;
        return cron.getCronExpression().equals(s.cron()) && cron.getTimeZone().getID().equals(s.timeZone())
                && cron.getMisfireInstruction() == misfire && paused == s.suspended();
    }

    /** Stops firing on this instance; other instances of the cluster take over its triggers. */
    @Override
    public void close() {
        call(() -> {
            quartz.shutdown(true);
            return null;
        });
    }

    static JobKey jobKey(long scheduleId) {
        return new JobKey("schedule-" + scheduleId, GROUP);
    }

    static TriggerKey triggerKey(long scheduleId) {
        return new TriggerKey("schedule-" + scheduleId, GROUP);
    }

    @FunctionalInterface
    private interface QuartzCall<T> {
        T run() throws SchedulerException;
    }

    private static <T> T call(QuartzCall<T> call) {
        try {
            return call.run();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz: " + e.getMessage(), e);
        }
    }
}
