package io.drover.scheduler.schedule;

import java.time.Duration;

/**
 * How this instance's Quartz scheduler joins the cluster.
 *
 * @param clusterName      Quartz's scheduler name: every instance of one Drover deployment uses the same
 * @param threads          fires handled at once by this instance
 * @param checkinInterval  how often an instance tells the others it lives; a dead one's fires are taken
 *                         over after about this long
 * @param misfireThreshold how late a fire may be before its schedule's misfire policy applies
 * @param idleWait         how long an idle instance waits before looking again for triggers that another
 *                         instance created or released (Quartz's default, 30 s, delays take-over that long)
 */
public record QuartzSettings(String clusterName, int threads, Duration checkinInterval, Duration misfireThreshold,
        Duration idleWait) {
}
