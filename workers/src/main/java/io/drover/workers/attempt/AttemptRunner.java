package io.drover.workers.attempt;

import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.SandboxException;
import io.drover.workers.WorkerSettings;
import io.drover.workers.task.Items;
import io.drover.workers.task.Placeholders;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import io.drover.workers.sandbox.OneShotSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed subtask in a fresh sandbox and records how its attempt ended. */
public final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final WorkerSettings settings;
    private final TaskTemplates templates;
    private final OneShotSandbox sandboxes;
    private final AttemptStore attempts;
    private final RunningAttempts running;

    public AttemptRunner(WorkerSettings settings, TaskTemplates templates, OneShotSandbox sandboxes,
            AttemptStore attempts, RunningAttempts running) {
        this.settings = settings;
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.attempts = attempts;
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
        if (!attempts.complete(result)) {
            LOG.warn("Attempt {} of subtask {} of job {} finished after it was taken away; its result was discarded",
                    claimed.attempt(), claimed.index(), claimed.jobId());
        }
        return Optional.of(result);
    }

    private AttemptResult execute(ClaimedSubtask claimed, OutputCapture output, Path log, long start)
            throws InterruptedException {
        try {
            TaskTemplate task = templates.of(claimed.jobId());
            Map<String, String> item = Items.values(claimed.itemJson());
            Command command = new Command(Placeholders.fill(task.command(), item), environment(task, claimed, item),
                    Duration.ofMillis(task.timeoutMs()), output, output);
            running.preparing(claimed.attemptId(), claimed.jobId());
            ExecResult exec = sandboxes.run(task, command, e -> running.started(claimed.attemptId(), claimed.jobId(), e));
            boolean cancelled = running.wasCancelled(claimed.attemptId());
            AttemptOutcome outcome = cancelled ? AttemptOutcome.CANCELLED
                    : exec.succeeded() ? AttemptOutcome.SUCCEEDED : AttemptOutcome.FAILED;
            String failure = switch (exec.termination()) {
                case EXITED -> exec.exitCode() == 0 ? null : "nonzero-exit";
                case TIMED_OUT -> "timeout";
                case KILLED -> cancelled ? "cancelled" : "killed";
                case OOM_KILLED -> "oom";
            };
            if (exec.termination() == ExecResult.Termination.TIMED_OUT) {
                output.line("drover: killed after the task timeout of " + Duration.ofMillis(task.timeoutMs()));
            }
            if (exec.termination() == ExecResult.Termination.OOM_KILLED) {
                output.line("drover: killed for exceeding the memory limit of " + task.memoryMb() + " MB");
            }
            return result(claimed, outcome, failure, exec.exitCode(), start, log, output);
        } catch (SandboxException | RuntimeException e) {
            LOG.warn("Attempt {} of subtask {} of job {} could not run: {}", claimed.attempt(), claimed.index(),
                    claimed.jobId(), e.getMessage());
            output.line("drover: the subtask could not run: " + e.getMessage());
            return result(claimed, AttemptOutcome.FAILED, "sandbox-error", null, start, log, output);
        } finally {
            running.ended(claimed.attemptId());
        }
    }

    private AttemptResult result(ClaimedSubtask c, AttemptOutcome outcome, String failure, Integer exit, long start,
            Path log, OutputCapture output) {
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome, failure, exit, durationMs,
                null, log.toString(), output.tail());
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
        return env;
    }
}
