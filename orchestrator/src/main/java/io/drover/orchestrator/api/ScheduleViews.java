package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.schedule.FireRecord;
import io.drover.persistence.schedule.LastJob;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.scheduler.schedule.CronTimes;
import io.drover.scheduler.schedule.FireResult;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of schedules. */
public final class ScheduleViews {
    /** How many upcoming fire times a schedule shows. */
    static final int NEXT_FIRES = 5;

    private ScheduleViews() {
    }

    public record Schedule(long id, String name, String cron, String timeZone, String overlap, String misfire,
            boolean suspended, Owner owner, List<Instant> nextFireTimes, Fire lastFire, Job lastJob, JsonNode spec,
            Instant createdAt, Instant updatedAt) {
    }

    /** Set when a repository owns the schedule: change it there. */
    public record Owner(long repoId, String path, Integer line, String commit) {
    }

    public record Fire(String trigger, Instant scheduledAt, Instant firedAt, String outcome, String reason, Long jobId,
            String instance) {
    }

    public record Job(long id, String state) {
    }

    public record Fired(String outcome, String reason, Long jobId) {
    }

    static Schedule schedule(ScheduleRecord s, List<FireRecord> lastFire, java.util.Optional<LastJob> lastJob) {
        var settings = s.settings();
        return new Schedule(s.id(), s.name(), settings.cron(), settings.timeZone(), settings.overlap().spelling(),
                settings.misfire().spelling(), settings.suspended(),
                s.ownedByRepo() ? new Owner(s.repoId(), s.repoPath(), s.repoLine(), s.repoCommit()) : null,
                CronTimes.next(settings, Instant.now(), NEXT_FIRES),
                lastFire.isEmpty() ? null : fire(lastFire.get(0)),
                lastJob.map(j -> new Job(j.id(), j.state().name())).orElse(null),
                Views.tree(s.specJson()), s.createdAt(), s.updatedAt());
    }

    static Fire fire(FireRecord f) {
        return new Fire(f.trigger().name(), f.scheduledAt(), f.firedAt(), f.outcome().name(), f.reason(), f.jobId(),
                f.instance());
    }

    static Fired fired(FireResult r) {
        return new Fired(r.outcome().map(Enum::name).orElse(null), r.reason(), r.jobId());
    }
}
