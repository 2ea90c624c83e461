package io.drover.orchestrator.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.api.ConflictException;
import io.drover.orchestrator.api.NotFoundException;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.spec.JobSpec;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.schedule.FireTrigger;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.schedule.FireResult;
import io.drover.scheduler.schedule.ScheduleFirer;
import io.drover.scheduler.schedule.ScheduleTriggers;
import java.util.List;

/**
 * Schedules created over REST: each change goes to the schedule table first, then to its Quartz
 * trigger. Schedules owned by a repository change only through their file.
 */
public final class Schedules {
    private final SpecValidator validator;
    private final ScheduleStore store;
    private final ScheduleTriggers triggers;
    private final ScheduleFirer firer;

    public Schedules(SpecValidator validator, ScheduleStore store, ScheduleTriggers triggers, ScheduleFirer firer) {
        this.validator = validator;
        this.store = store;
        this.triggers = triggers;
        this.firer = firer;
    }

    public long create(String tenant, JsonNode document) {
        JobSpec spec = validate(document);
        long id = store.insert(tenant, spec.metadata().name(), Documents.json(document), spec.spec().schedule());
        triggers.put(id, spec.spec().schedule());
        return id;
    }

    public void update(long id, JsonNode document) {
        restOwned(id);
        JobSpec spec = validate(document);
        store.update(id, spec.metadata().name(), Documents.json(document), spec.spec().schedule());
        triggers.put(id, spec.spec().schedule());
    }

    public void delete(long id) {
        restOwned(id);
        store.delete(id);
        triggers.remove(id);
    }

    public void suspend(long id, boolean suspended) {
        ScheduleRecord s = restOwned(id);
        store.setSuspended(id, suspended);
        if (suspended) {
            triggers.suspend(id);
        } else if (s.settings().suspended()) {
            triggers.resume(id);
        }
    }

    /** Fires now, on this instance, under the schedule's overlap policy. */
    public FireResult trigger(long id) {
        find(id);
        return firer.fire(id, FireTrigger.MANUAL, null);
    }

    public ScheduleRecord find(long id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("schedule " + id));
    }

    private ScheduleRecord restOwned(long id) {
        ScheduleRecord s = find(id);
        if (s.ownedByRepo()) {
            throw new ConflictException("schedule " + id + " belongs to repository " + s.repoId() + " (" + s.repoPath()
                    + " line " + s.repoLine() + "); change or delete it there and sync");
        }
        return s;
    }

    private JobSpec validate(JsonNode document) {
        JobSpec spec = validator.validate(document);
        if (spec.spec().schedule() == null) {
            throw new InvalidSpecException(List.of(new FieldError("spec.schedule", "is required for a schedule, e.g."
                    + " {cron: '0 0 2 * * ?', timeZone: UTC}; to run a job once, POST it to /api/v1/jobs")));
        }
        return spec;
    }
}
