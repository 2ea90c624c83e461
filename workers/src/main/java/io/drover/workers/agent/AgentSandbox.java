package io.drover.workers.agent;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.Usage;
import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.sandbox.SandboxRun;
import io.drover.workers.task.TaskTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job's {@code task.agent}: the agent command runs on the worker host, outside any sandbox,
 * while the attempt holds a fresh sandbox of the task's base that the agent execs its tool calls in
 * through the exec API ({@code DROVER_SANDBOX_URL}, {@code DROVER_SANDBOX_TOKEN}). The sandbox
 * stands by after its {@code standbyAfter} without an exec and is destroyed when the agent ends;
 * the attempt pays for it as for a command's sandbox.
 */
public final class AgentSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSandbox.class);

    private final Pools pools;
    private final SandboxRegistry registry;

    public AgentSandbox(Pools pools, SandboxRegistry registry) {
        this.pools = pools;
        this.registry = registry;
    }

    /**
     * @param agent   the agent's script, environment (to which the sandbox's address and token are
     *                added), timeout and output
     * @param started told the agent's process as soon as it runs, so that it can be stopped
     */
    public SandboxRun run(TaskTemplate task, Command agent, Consumer<Execution> started,
            Optional<OneShotSandbox.Collect> collect) throws SandboxException, InterruptedException {
        SandboxPool pool = pools.get(task.driver());
        BaseSnapshot base = pool.driver().prepareBase(task.baseSpec());
        Resources resources = task.resources();
        Lease lease = pool.lease(base, resources, Duration.ofMillis(task.standbyAfterMs()));
        // What it used before the lease is the pool's idle overhead, not this subtask's.
        Usage atLease = lease.usageAtLease();
        ExecResult result;
        Optional<byte[]> collected = Optional.empty();
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("drover-agent-");
            try (SandboxRegistry.Registration registration = registry.register(task.driver(), pool, lease)) {
                Map<String, String> env = new LinkedHashMap<>(agent.env());
                env.put("HOME", workDir.toString());
                env.put("DROVER_SANDBOX_URL", registration.url());
                env.put("DROVER_SANDBOX_TOKEN", registration.token());
                HostProcess process = HostProcess.start(agent.script(), env, workDir, agent.timeout(), agent.stdout());
                started.accept(process);
                result = process.await();
            }
            if (collect.isPresent()) {
                collected = collect.get().readFrom(pool, lease);
            }
        } catch (IOException e) {
            throw new SandboxException("the agent could not start on the worker: " + e.getMessage(), e);
        } finally {
            pool.release(lease);
            deleteQuietly(workDir);
        }
        Usage usage = OneShotSandbox.since(atLease, pool.driver().usage(lease.sandbox()));
        return new SandboxRun(result, usage, resources, Optional.ofNullable(base.buildTime()), collected);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove the agent's working directory {} ({})", dir, e.getMessage());
        }
    }
}
