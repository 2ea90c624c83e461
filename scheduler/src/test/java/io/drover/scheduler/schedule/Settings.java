package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.Misfire;
import io.drover.persistence.schedule.Overlap;
import io.drover.persistence.schedule.ScheduleSettings;
import java.time.Duration;

/** Settings the tests share: a cron firing every second, and a quick cluster check-in. */
final class Settings {
    static final QuartzSettings QUARTZ = new QuartzSettings("drover-test", 2, Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(1));

    private Settings() {
    }

    static ScheduleSettings everySecond(Overlap overlap) {
        return new ScheduleSettings("* * * * * ?", "UTC", overlap, Misfire.FIRE_ONCE, false);
    }
}
