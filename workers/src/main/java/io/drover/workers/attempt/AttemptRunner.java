package io.drover.workers.attempt;

import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.attempt.AttemptUsage;
import io.drover.persistence.attempt.Completions;
import io.drover.persistence.retry.FailureClass;
import io.drover.persistence.retry.Retries;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.SandboxException;
import io.drover.workers.WorkerSettings;
import io.drover.workers.agent.AgentSandbox;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.UsageFile;
import io.drover.workers.cost.UsageReport;
import io.drover.workers.llm.LlmAccess;
import io.drover.sandbox.secret.SecretInjection;
import io.drover.workers.secret.SecretValues;
import io.drover.workers.secret.SecretsMissing;
import io.drover.workers.task.Items;
import io.drover.workers.task.Placeholders;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.SandboxRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed subtask in a fresh sandbox and records how its attempt ended. */
public final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final WorkerSettings settings;
    private final TaskTemplates templates;
    private final OneShotSandbox sandboxes;
    private final AttemptStore attempts;
    private final Completions completions;
    private final RunningAttempts running;
    private final CostMeter meter;
    private final LlmAccess llm;
    private final AgentSandbox agents;
    private final SecretValues secrets;
    private static final int RECORD_TRIES = 20;
    private static final long RECORD_BACKOFF_MS = 1_000;
    private final DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    public AttemptRunner(WorkerSettings settings, TaskTemplates templates, OneShotSandbox sandboxes,
            AttemptStore attempts, RunningAttempts running, CostMeter meter) {
        this(settings, templates, sandboxes, attempts, running, meter, LlmAccess.NONE, null, SecretValues.NONE);
    }

    /** Without secrets: a task naming one fails with secret-missing. */
    public AttemptRunner(WorkerSettings settings, TaskTemplates templates, OneShotSandbox sandboxes,
            AttemptStore attempts, RunningAttempts running, CostMeter meter, LlmAccess llm, AgentSandbox agents) {
        this(settings, templates, sandboxes, attempts, running, meter, llm, agents, SecretValues.NONE);
    }

    /**
     * @param llm     gives each attempt its LLM gateway token and address
     * @param agents  runs {@code task.agent} tasks; null where they are not supported
     * @param secrets the values of the tenants' secrets, read at each attempt
     */
    public AttemptRunner(WorkerSettings settings, TaskTemplates templates, OneShotSandbox sandboxes,
            AttemptStore attempts, RunningAttempts running, CostMeter meter, LlmAccess llm, AgentSandbox agents,
            SecretValues secrets) {
        this.secrets = secrets;
        this.llm = llm;
        this.agents = agents;
        this.settings = settings;
        this.meter = meter;
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.attempts = attempts;
        this.completions = new Completions(attempts);
        this.running = running;
    }

    /**
     * Returns the result recorded (or rejected, if the attempt had been taken away meanwhile); empty
     * when the process is stopping and the subtask was handed back to the queue instead.
     */
    public Optional<AttemptResult> run(ClaimedSubtask claimed) throws InterruptedException {
        Path log = settings.logRoot().resolve(Long.toString(claimed.jobId()))
                .resolve(claimed.index() + "-attempt-" + claimed.attempt() + ".log");
        long start = System.nanoTime();
        AttemptResult result;
        try (OutputCapture output = new OutputCapture(log, settings.tailBytes())) {
            result = execute(claimed, output, log, start);
        }
        if (running.abandoning()) {
            attempts.requeue(claimed.attemptId(), claimed.subtaskId(), claimed.version(), "worker-stopped");
            LOG.info("Subtask {} of job {} handed back to the queue: this worker is stopping", claimed.index(),
                    claimed.jobId());
            return Optional.empty();
        }
        if (record(result)) {
            result.usage().ifPresent(usage -> meter.recorded(claimed.jobId(), usage));
        } else {
            LOG.warn("Attempt {} of subtask {} of job {} finished after it was taken away; its result was discarded",
                    claimed.attempt(), claimed.index(), claimed.jobId());
        }
        return Optional.of(result);
    }

    /**
     * Records the result, riding out a short database outage. If the database stays away, the
     * attempt is left RUNNING: its lease expires and the subtask runs again, so nothing is lost.
     */
    private boolean record(AttemptResult result) throws InterruptedException {
        for (int tried = 1; ; tried++) {
            try {
                return result.outcome() == AttemptOutcome.LOST ? attempts.lose(result, settings.maxLostAttempts())
                        : completions.complete(result);
            } catch (RuntimeException e) {
                if (tried == RECORD_TRIES) {
                    LOG.error("Could not record attempt {} after {} tries ({}); it will run again when its lease expires",
                            result.attemptId(), tried, e.getMessage());
                    throw e;
                }
                LOG.warn("Recording attempt {} failed ({}); trying again in {} ms", result.attemptId(), e.getMessage(),
                        RECORD_BACKOFF_MS);
                Thread.sleep(RECORD_BACKOFF_MS);
            }
        }
    }

    private AttemptResult execute(ClaimedSubtask claimed, OutputCapture output, Path log, long start)
            throws InterruptedException {
        try {
            TaskTemplate task = templates.of(claimed.jobId());
            Map<String, String> item = Items.values(claimed.itemJson());
            running.preparing(claimed.attemptId(), claimed.jobId(), claimed.subtaskId());
            Optional<SecretInjection> injection = secrets(task, claimed, output);
            if (injection.isEmpty()) {
                return failed(claimed, RetryPolicy.NONE, FailureClass.SECRET_MISSING, null, start, log, output,
                        Optional.empty());
            }
            SandboxRun run;
            try (LlmAccess.Grant grant = llm.grant(claimed.attemptId())) {
                Map<String, String> env = environment(task, claimed, item);
                env.putAll(grant.env(task.hasAgent()));
                env.putAll(injection.get().env());
                String script = Placeholders.fill(task.hasAgent() ? task.agent() : task.command(), item);
                Command command = new Command(task.hasAgent() ? script : injection.get().command(script), env,
                        Duration.ofMillis(task.timeoutMs()), output, output);
                Consumer<Execution> started = e -> running.started(claimed.attemptId(), claimed.jobId(),
                        claimed.subtaskId(), e);
                Optional<OneShotSandbox.Collect> collect = Optional.of(
                        new OneShotSandbox.Collect(UsageFile.PATH, UsageFile.MAX_BYTES));
                if (task.hasAgent()) {
                    if (agents == null) {
                        throw new IllegalStateException("task.agent is not supported by this worker");
                    }
                    run = agents.run(task, command, started, collect);
                } else {
                    run = sandboxes.run(task, command, started, collect);
                }
            }
            ExecResult exec = run.result();
            Optional<AttemptUsage> usage = meter(claimed, run, output);
            boolean cancelled = running.wasCancelled(claimed.attemptId());
            if (exec.termination() == ExecResult.Termination.TIMED_OUT) {
                output.line("drover: killed after the task timeout of " + Duration.ofMillis(task.timeoutMs()));
            }
            if (exec.termination() == ExecResult.Termination.OOM_KILLED) {
                output.line("drover: killed for exceeding the memory limit of " + task.memoryMb() + " MB");
            }
            if (exec.termination() == ExecResult.Termination.DISK_FULL) {
                output.line("drover: the command failed with the sandbox's disk full: /workspace and /tmp together"
                        + " may hold " + (task.diskMb() > 0 ? task.diskMb() + " MB" : "the pool's default")
                        + " (spec.sandbox.resources.diskMb); not retried (" + FailureClass.DISK_QUOTA.code() + ")");
            }
            run.kept().ifPresent(kept -> output.line("drover: this attempt's sandbox is kept for inspection until "
                    + kept.until() + ": POST " + kept.url() + "/exec with 'Authorization: Bearer " + kept.token()
                    + "' (DELETE it when done)"));
            if (cancelled) {
                return result(claimed, AttemptOutcome.CANCELLED, FailureClass.CANCELLED.code(), exec.exitCode(), start,
                        log, output, Optional.empty(), usage);
            }
            if (exec.succeeded()) {
                return result(claimed, AttemptOutcome.SUCCEEDED, null, 0, start, log, output, Optional.empty(), usage);
            }
            FailureClass failure = switch (exec.termination()) {
                case EXITED -> FailureClass.NONZERO_EXIT;
                case TIMED_OUT -> FailureClass.TIMEOUT;
                case OOM_KILLED -> FailureClass.OOM;
                case DISK_FULL -> FailureClass.DISK_QUOTA;
                case KILLED -> FailureClass.SANDBOX_LOST;
            };
            return failed(claimed, task.retry(), failure, exec.exitCode(), start, log, output, usage);
        } catch (BaseSetupFailed e) {
            LOG.warn("Attempt {} of subtask {} of job {} could not run: the setup of its base exited with {}",
                    claimed.attempt(), claimed.index(), claimed.jobId(), e.exitCode());
            output.line("drover: the setup of the sandbox's base failed; its output ends with:");
            output.line(e.logTail().stripTrailing());
            output.line("drover: " + e.getMessage().lines().findFirst().orElse(""));
            return failed(claimed, RetryPolicy.NONE, FailureClass.SETUP_FAILED, e.exitCode(), start, log, output,
                    Optional.empty());
        } catch (SecretsMissing e) {
            LOG.warn("Attempt {} of subtask {} of job {} did not start: {}", claimed.attempt(), claimed.index(),
                    claimed.jobId(), e.getMessage());
            output.line("drover: the sandbox's base could not be built: " + e.getMessage() + " and retry the subtask ("
                    + FailureClass.SECRET_MISSING.code() + ")");
            return failed(claimed, RetryPolicy.NONE, FailureClass.SECRET_MISSING, null, start, log, output,
                    Optional.empty());
        } catch (SandboxException | RuntimeException e) {
            return lost(claimed, e, start, log, output);
        } finally {
            running.ended(claimed.attemptId());
        }
    }

    /**
     * The values of the task's secrets as of now (a secret changed since the last attempt applies to
     * this one), with the output redacting them from here on; empty if one no longer exists.
     */
    private Optional<SecretInjection> secrets(TaskTemplate task, ClaimedSubtask claimed, OutputCapture output) {
        if (task.secrets().isEmpty()) {
            return Optional.of(SecretInjection.NONE);
        }
        List<String> names = SecretValues.names(task.secrets());
        Map<String, String> values = secrets.values(task.tenant(), names);
        List<String> missing = names.stream().filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            LOG.warn("Attempt {} of subtask {} of job {} did not start: tenant {} has no secret {}",
                    claimed.attempt(), claimed.index(), claimed.jobId(), task.tenant(), missing);
            output.line("drover: the secret(s) " + missing + " named in spec.task.secrets no longer exist in tenant "
                    + task.tenant() + " (" + FailureClass.SECRET_MISSING.code() + "); make them again with POST"
                    + " /api/v1/secrets and retry the subtask");
            return Optional.empty();
        }
        SecretInjection injection = SecretInjection.of(task.secrets(), values);
        output.redact(injection.byName());
        return Optional.of(injection);
    }

    /**
     * The sandbox could not be made ready, the command could not be started in it, or its output
     * could not be read back: the machine's failure, not the task's, so the subtask runs again like
     * one whose worker died, a little later.
     */
    private AttemptResult lost(ClaimedSubtask claimed, Exception e, long start, Path log, OutputCapture output) {
        LOG.warn("Attempt {} of subtask {} of job {} lost its sandbox: {}. The subtask runs again unless it has"
                + " lost {} attempts", claimed.attempt(), claimed.index(), claimed.jobId(),
                e.getMessage(), settings.maxLostAttempts());
        output.line("drover: this attempt lost its sandbox (" + e.getMessage() + "): a failure of the machine ("
                + FailureClass.SANDBOX_LOST.code() + "), not of the command; the subtask runs again unless it has lost "
                + settings.maxLostAttempts() + " attempts");
        return result(claimed, AttemptOutcome.LOST, FailureClass.SANDBOX_LOST.code(), null, start, log, output,
                Optional.of(Retries.afterLossMs(claimed.attempt())), Optional.empty());
    }

    private AttemptResult failed(ClaimedSubtask c, RetryPolicy policy, FailureClass failure, Integer exit, long start,
            Path log, OutputCapture output, Optional<AttemptUsage> usage) {
        Optional<Duration> retry = Retries.afterFailure(policy, failure, exit, c.attempt(), random);
        retry.ifPresent(delay -> output.line("drover: attempt " + c.attempt() + " failed (" + failure.code()
                + "); attempt " + (c.attempt() + 1) + " of " + policy.maxAttempts() + " starts in "
                + delay.toMillis() + " ms"));
        return result(c, AttemptOutcome.FAILED, failure.code(), exit, start, log, output, retry.map(Duration::toMillis),
                usage);
    }

    private AttemptResult result(ClaimedSubtask c, AttemptOutcome outcome, String failure, Integer exit, long start,
            Path log, OutputCapture output, Optional<Long> retryAfterMs, Optional<AttemptUsage> usage) {
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome, failure, exit, durationMs,
                null, log.toString(), output.tail(), retryAfterMs, usage);
    }

    /**
     * Prices what the sandbox used and the task reported. A usage file the task got wrong is told
     * in its output and on the attempt; it never fails the attempt, and neither does a metering bug.
     */
    private Optional<AttemptUsage> meter(ClaimedSubtask claimed, SandboxRun run, OutputCapture output) {
        try {
            UsageReport report = run.collected()
                    .map(bytes -> bytes.length > UsageFile.MAX_BYTES
                            ? UsageFile.parse(java.util.Arrays.copyOf(bytes, UsageFile.MAX_BYTES), true)
                            : UsageFile.parse(bytes, false))
                    .orElse(UsageReport.EMPTY);
            AttemptUsage usage = meter.meter(run.usage(), run.resources().vcpus(), run.setup(), report);
            if (usage.usageWarnings() > 0) {
                output.line("drover: " + usage.usageWarnings() + " line(s) of $DROVER_USAGE were not used: "
                        + usage.usageWarning());
            }
            return Optional.of(usage);
        } catch (RuntimeException e) {
            LOG.error("Could not meter attempt {} of subtask {} of job {} ({}); it is recorded without cost lines",
                    claimed.attempt(), claimed.index(), claimed.jobId(), e.toString());
            return Optional.empty();
        }
    }

    private static Map<String, String> environment(TaskTemplate task, ClaimedSubtask claimed, Map<String, String> item) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        task.env().forEach((k, v) -> env.put(k, Placeholders.fill(v, item)));
        env.put("DROVER_JOB_ID", Long.toString(claimed.jobId()));
        env.put("DROVER_SUBTASK_INDEX", Integer.toString(claimed.index()));
        env.put("DROVER_ATTEMPT", Integer.toString(claimed.attempt()));
        env.put("DROVER_ITEM", claimed.itemJson());
        env.put("DROVER_USAGE", UsageFile.PATH);
        return env;
    }
}
