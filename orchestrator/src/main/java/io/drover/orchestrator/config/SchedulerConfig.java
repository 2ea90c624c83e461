package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Cron schedules (prefix {@code drover.scheduler}): Quartz, clustered on Drover's PostgreSQL. */
@ConfigMapping(prefix = "drover.scheduler")
public interface SchedulerConfig {

    /** Quartz's scheduler name: the same on every instance of one deployment, so that they form one cluster. */
    @WithDefault("drover")
    String clusterName();

    /** Schedule fires this instance handles at once (a fire only submits a job, so few are needed). */
    @WithDefault("4")
    int threads();

    /** How often this instance tells the cluster it lives; a dead instance's fires move elsewhere after about this long plus 7.5 s. */
    @WithDefault("7500ms")
    Duration checkinInterval();

    /** How late a fire may be before the schedule's misfire policy (fire-once or skip) decides instead. */
    @WithDefault("60s")
    Duration misfireThreshold();

    /** How long an idle instance waits before looking for schedules created or released by another instance. */
    @WithDefault("5s")
    Duration idleWait();
}
