package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.ScheduleSettings;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** The times a schedule will fire, computed from its cron alone (what Quartz will do, without asking it). */
public final class CronTimes {
    private CronTimes() {
    }

    public static List<Instant> next(ScheduleSettings settings, Instant after, int count) {
        if (settings.suspended()) {
            return List.of();
        }
        CronExpression cron;
        try {
            cron = new CronExpression(settings.cron());
        } catch (ParseException e) {
            throw new IllegalArgumentException("stored cron no longer parses: " + settings.cron(), e);
        }
        cron.setTimeZone(TimeZone.getTimeZone(ZoneId.of(settings.timeZone())));
        List<Instant> times = new ArrayList<>(count);
        Date at = Date.from(after);
        while (times.size() < count) {
            at = cron.getNextValidTimeAfter(at);
            if (at == null) {
                break;
            }
            times.add(at.toInstant());
        }
        return times;
    }
}
