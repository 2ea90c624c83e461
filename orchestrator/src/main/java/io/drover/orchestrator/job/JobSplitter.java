package io.drover.orchestrator.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.orchestrator.spec.Fanouts;
import io.drover.orchestrator.spec.JobSpec;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.SandboxException;
import io.drover.workers.sandbox.OneShotSandbox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a stored job into its subtasks: items and matrix fan-outs are expanded from the spec;
 * a fromCommand fan-out runs its command in a sandbox of the job and takes one item per output line.
 */
public final class JobSplitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSplitter.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final JobStore jobs;
    private final OneShotSandbox sandboxes;
    private final int maxItems;
    private final boolean runsSandboxes;
    private final AdvisoryLock locks;

    /**
     * @param runsSandboxes whether this process may run a fromCommand fan-out's command; when not
     *                      (no worker role), such jobs are left for a worker to split
     * @param locks         one split of a job at a time across processes, so that its command runs once
     */
    public JobSplitter(JobStore jobs, OneShotSandbox sandboxes, int maxItems, boolean runsSandboxes,
            AdvisoryLock locks) {
        this.jobs = jobs;
        this.sandboxes = sandboxes;
        this.maxItems = maxItems;
        this.runsSandboxes = runsSandboxes;
        this.locks = locks;
    }

    /** Returns the number of subtasks created (0 if the job was already split, cancelled, or failed to split). */
    public int split(long jobId) throws InterruptedException {
        JobRecord job = jobs.find(jobId).orElse(null);
        if (job == null || job.subtaskCount() != null || job.state().isTerminal()) {
            return 0;
        }
        JobSpec spec = read(job.specJson());
        if (spec.spec().fanout().fromCommand() == null) {
            return expand(job, spec);
        }
        if (!runsSandboxes) {
            LOG.debug("Job {} is split by command: left for a worker", jobId);
            return 0;
        }
        try (AdvisoryLock.Held held = locks.acquire("drover-split:" + jobId)) {
            // Another process may have split it while this one waited.
            JobRecord now = jobs.find(jobId).orElse(null);
            if (now == null || now.subtaskCount() != null || now.state().isTerminal()) {
                return 0;
            }
            return expand(job, spec);
        }
    }

    private int expand(JobRecord job, JobSpec spec) throws InterruptedException {
        long jobId = job.id();
        List<String> items;
        try {
            items = spec.spec().fanout().fromCommand() != null ? fromCommand(spec, job.tenant())
                    : Fanouts.expand(spec.spec().fanout());
        } catch (FanoutFailed e) {
            LOG.info("Job {} failed: {}", jobId, e.getMessage());
            jobs.fail(jobId, e.getMessage());
            return 0;
        }
        if (items.isEmpty()) {
            jobs.fail(jobId, "spec.fanout.fromCommand printed no items");
            return 0;
        }
        boolean stored = jobs.expand(jobId, items);
        LOG.debug("Job {} split into {} subtasks", jobId, items.size());
        return stored ? items.size() : 0;
    }

    private List<String> fromCommand(JobSpec spec, String tenant) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Command command = new Command(spec.spec().fanout().fromCommand(),
                Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8"),
                Duration.ofMillis(spec.spec().task().timeoutMs()),
                (b, o, l) -> append(out, b, o, l), (b, o, l) -> append(err, b, o, l));
        ExecResult result;
        try {
            result = sandboxes.run(JobSubmission.template(spec, tenant), command, e -> { }).result();
        } catch (SandboxException e) {
            throw new FanoutFailed("spec.fanout.fromCommand could not run: " + e.getMessage());
        }
        if (!result.succeeded()) {
            String stderr = err.toString(StandardCharsets.UTF_8).strip();
            throw new FanoutFailed("spec.fanout.fromCommand exited with " + result.exitCode()
                    + (result.termination() == ExecResult.Termination.TIMED_OUT ? " (timed out)" : "")
                    + (stderr.isEmpty() ? "" : ": " + tail(stderr)));
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() > maxItems) {
            throw new FanoutFailed("spec.fanout.fromCommand printed " + lines.size() + " items; at most " + maxItems
                    + " are allowed");
        }
        return lines.stream().map(Fanouts::itemOfLine).toList();
    }

    private static void append(ByteArrayOutputStream out, byte[] b, int offset, int length) {
        synchronized (out) {
            out.write(b, offset, length);
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
    }

    static JobSpec read(String specJson) {
        try {
            return JSON.readValue(specJson, JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static final class FanoutFailed extends RuntimeException {
        FanoutFailed(String message) {
            super(message);
        }
    }
}
