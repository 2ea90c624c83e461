package io.drover.persistence.schedule;

/**
 * When and how a schedule fires: a spec's {@code schedule:} block with every default filled in.
 *
 * @param cron     a Quartz cron expression (seconds first: {@code 0 0/5 * * * ?})
 * @param timeZone an IANA zone id such as {@code Europe/Paris} or {@code UTC}
 */
public record ScheduleSettings(String cron, String timeZone, Overlap overlap, Misfire misfire, boolean suspended) {

    public ScheduleSettings withSuspended(boolean value) {
        return new ScheduleSettings(cron, timeZone, overlap, misfire, value);
    }
}
