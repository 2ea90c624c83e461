package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.FireTrigger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Quartz job behind every schedule: hands the fire to the {@link ScheduleFirer}. */
public final class FireJob implements Job {
    static final String SCHEDULE_ID = "scheduleId";
    private static final Logger LOG = LoggerFactory.getLogger(FireJob.class);

    private final ScheduleFirer firer;

    FireJob(ScheduleFirer firer) {
        this.firer = firer;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        long scheduleId = Long.parseLong(context.getMergedJobDataMap().getString(SCHEDULE_ID));
        try {
            firer.fire(scheduleId, FireTrigger.CRON, context.getScheduledFireTime().toInstant());
        } catch (RuntimeException e) {
            // Quartz would only log it too; this fire is lost and the next one tries again
            LOG.error("Schedule {} could not fire (database unavailable?); the next fire tries again", scheduleId, e);
            throw new JobExecutionException(e, false);
        }
    }
}
