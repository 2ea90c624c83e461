package io.drover.orchestrator.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.spec.Fanouts;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.spec.JobSpec;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.job.Insertion;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.sandbox.secret.SecretRef;
import io.drover.workers.secret.SecretValues;
import io.drover.workers.task.TaskTemplate;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.workers.task.TaskTemplates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.List;

/** The one way into Drover: validate a spec, store the job, and hand it to the routes. */
public final class JobSubmission {
    private final SpecValidator validator;
    private final JobStore jobs;
    private final JobEvents events;
    private final BaseSnapshotStore snapshots;
    private final Admission admission;
    private final SecretValues secrets;

    /** Without a secrets store: a spec naming a secret is refused. */
    public JobSubmission(SpecValidator validator, JobStore jobs, JobEvents events, BaseSnapshotStore snapshots,
            Admission admission) {
        this(validator, jobs, events, snapshots, admission, SecretValues.NONE);
    }

    /** @param secrets where the secrets a spec names must exist, in the submitting tenant */
    public JobSubmission(SpecValidator validator, JobStore jobs, JobEvents events, BaseSnapshotStore snapshots,
            Admission admission, SecretValues secrets) {
        this.secrets = secrets;
        this.validator = validator;
        this.jobs = jobs;
        this.events = events;
        this.snapshots = snapshots;
        this.admission = admission;
    }

    /** The job a submission stored, or found under its idempotency key. */
    public record Submitted(long id, boolean created) {
    }

    public long submit(JsonNode document, String source, String tenant) {
        return submit(document, JobOrigin.of(source, tenant), Optional.empty()).id();
    }

    /**
     * Validates and stores the job; throws {@code InvalidSpecException} and stores nothing if the
     * spec is bad. A spec with {@code spec.schedule} is not a job but a schedule: its fires submit it
     * without the schedule. With an idempotency key already used for the same spec, returns that job
     * ({@code created = false}); for a different spec, throws {@link IdempotencyConflictException}.
     */
    public Submitted submit(JsonNode document, JobOrigin origin, Optional<String> idempotencyKey) {
        JobSpec spec = validator.validate(document);
        if (spec.spec().schedule() != null) {
            throw new InvalidSpecException(List.of(new FieldError("spec.schedule", "a spec with a schedule is created"
                    + " with POST /api/v1/schedules; remove spec.schedule to run the job once now")));
        }
        checkSecrets(spec, origin.tenant());
        String specJson = Fanouts.json(spec);
        String hash = sha256(specJson);
        JobSpec.Spec s = spec.spec();
        admission.admit(origin.tenant());
        TaskTemplate template = template(spec, origin.tenant());
        NewJob.Dispatch dispatch = new NewJob.Dispatch(s.concurrency(), s.priority(), s.retry().maxAttempts(),
                template.retry().retriesLost(), s.budget() == null ? null : s.budget().maxCostUsd(),
                s.budget() == null ? null : s.budget().maxCostPerSubtaskUsd(),
                s.budget() != null && s.budget().stopRunning());
        Insertion stored = jobs.insert(new NewJob(spec.metadata().name(), specJson, TaskTemplates.toJson(template),
                Fanouts.json(spec.metadata().labels()), origin.source(), idempotencyKey, hash, dispatch,
                origin.scheduleId(), origin.sourceCommit(), origin.tenant()));
        if (!stored.created()) {
            if (!hash.equals(stored.requestHash())) {
                throw new IdempotencyConflictException(idempotencyKey.orElseThrow(), stored.id());
            }
            return new Submitted(stored.id(), false);
        }
        snapshots.usedBy(stored.id(), template.baseSpec().hash());
        events.submitted(stored.id());
        return new Submitted(stored.id(), true);
    }

    /** As {@link #submit(JsonNode, String, String)}, recording the schedule and commit the job came from. */
    public long submit(JsonNode document, JobOrigin origin) {
        return submit(document, origin, Optional.empty()).id();
    }

    /**
     * Every secret the task and the setup name exists in the tenant now; their values are read only
     * when an attempt starts or a base is built.
     */
    private void checkSecrets(JobSpec spec, String tenant) {
        List<FieldError> errors = new ArrayList<>();
        errors.addAll(missing(spec.spec().task().secrets(), "spec.task.secrets", tenant));
        errors.addAll(missing(spec.spec().sandbox().setupSecrets(), "spec.sandbox.setupSecrets", tenant));
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors);
        }
    }

    /** A problem for each of {@code refs} (the list at {@code field}) that the tenant has no secret of. */
    public static List<FieldError> missing(SecretValues secrets, List<SecretRef> refs, String field, String tenant) {
        if (refs.isEmpty()) {
            return List.of();
        }
        Set<String> missing = secrets.missing(tenant, SecretValues.names(refs));
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (missing.contains(refs.get(i).name())) {
                errors.add(new FieldError(field + "[" + i + "].name", "tenant " + tenant + " has no secret "
                        + refs.get(i).name() + ": make it first with POST /api/v1/secrets"));
            }
        }
        return errors;
    }

    private List<FieldError> missing(List<SecretRef> refs, String field, String tenant) {
        return missing(secrets, refs, field, tenant);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the workers run each subtask of the job with; its base is the tenant's. */
    public static TaskTemplate template(JobSpec spec, String tenant) {
        JobSpec.Sandbox sandbox = spec.spec().sandbox();
        JobSpec.Task task = spec.spec().task();
        JobSpec.Retry r = spec.spec().retry();
        RetryPolicy retry = new RetryPolicy(r.maxAttempts(), r.initialBackoffMs(), r.multiplier(), r.maxBackoffMs(),
                Set.copyOf(r.retryOn()), Set.copyOf(r.retryOnExitCodes()), Set.copyOf(r.doNotRetryOn()));
        return new TaskTemplate(task.command(), task.env(), task.timeoutMs(), sandbox.driver(), sandbox.image(),
                sandbox.setup(), sandbox.setupEnv(), sandbox.resources().memoryMb(), sandbox.resources().vcpus(), retry,
                sandbox.network(), sandbox.setupNetwork(), task.agent(), sandbox.standbyAfterMs(),
                sandbox.keepOnFailureMs(), sandbox.resources().diskMb(), tenant, task.secrets(),
                sandbox.setupSecrets());
    }
}
