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
 */
public record QuartzSettings(String clusterName, int threads, Duration checkinInterval, Duration misfireThreshold) {
}
