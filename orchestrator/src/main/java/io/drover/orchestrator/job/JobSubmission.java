package io.drover.orchestrator.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.spec.Fanouts;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.spec.JobSpec;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.util.List;

/** The one way into Drover: validate a spec, store the job, and hand it to the routes. */
public final class JobSubmission {
    private final SpecValidator validator;
    private final JobStore jobs;
    private final JobEvents events;

    public JobSubmission(SpecValidator validator, JobStore jobs, JobEvents events) {
        this.validator = validator;
        this.jobs = jobs;
        this.events = events;
    }

    /** Validates and stores the job; throws {@code InvalidSpecException} and stores nothing if the spec is bad. */
    public long submit(JsonNode document, String source) {
        return submit(document, JobOrigin.of(source));
    }

    /**
     * As {@link #submit(JsonNode, String)}, recording the schedule and commit the job came from. A spec
     * with {@code spec.schedule} is not a job but a schedule: its fires submit it without the schedule.
     */
    public long submit(JsonNode document, JobOrigin origin) {
        JobSpec spec = validator.validate(document);
        if (spec.spec().schedule() != null) {
            throw new InvalidSpecException(List.of(new FieldError("spec.schedule", "a spec with a schedule is created"
                    + " with POST /api/v1/schedules; remove spec.schedule to run the job once now")));
        }
        long id = jobs.insert(new NewJob(spec.metadata().name(), Fanouts.json(spec),
                TaskTemplates.toJson(template(spec)), Fanouts.json(spec.metadata().labels()), origin.source(),
                origin.scheduleId(), origin.sourceCommit()));
        events.submitted(id);
        return id;
    }

    public static TaskTemplate template(JobSpec spec) {
        JobSpec.Sandbox sandbox = spec.spec().sandbox();
        JobSpec.Task task = spec.spec().task();
        return new TaskTemplate(task.command(), task.env(), task.timeoutMs(), sandbox.driver(), sandbox.image(),
                sandbox.setup(), sandbox.setupEnv(), sandbox.resources().memoryMb(), sandbox.resources().vcpus());
    }
}
