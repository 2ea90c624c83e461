package io.drover.workers.sandbox;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.Usage;
import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.task.TaskTemplate;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command in a fresh sandbox of the task's base, leased from the driver's pool (a warm
 * clone when one waits), and destroyed afterwards so that no state leaks into the next subtask —
 * unless the command failed and the task keeps failed sandboxes for inspection.
 */
public final class OneShotSandbox {
    private static final Logger LOG = LoggerFactory.getLogger(OneShotSandbox.class);

    /** What to read back from the sandbox before it is destroyed. */
    public record Collect(String path, int maxBytes) {
        /**
         * The file, at most {@code maxBytes} plus one byte (so that a cut can be told); empty when
         * it is missing or cannot be read, which is logged, never fatal to the attempt.
         */
        public Optional<byte[]> readFrom(SandboxPool pool, Lease lease) {
            try {
                return pool.driver().readFile(lease.sandbox(), path, maxBytes + 1L);
            } catch (SandboxException | RuntimeException e) {
                LOG.warn("Could not read {} from sandbox {} ({}); the attempt is recorded without it", path,
                        lease.id(), e.getMessage());
                return Optional.empty();
            }
        }
    }

    private final Pools pools;
    private final SandboxKeeper keeper;

    public OneShotSandbox(Pools pools) {
        this(pools, SandboxKeeper.NONE);
    }

    public OneShotSandbox(Pools pools, SandboxKeeper keeper) {
        this.pools = pools;
        this.keeper = keeper;
    }

    public SandboxRun run(TaskTemplate task, Command command, Consumer<Execution> started)
            throws SandboxException, InterruptedException {
        return run(task, command, started, Optional.empty());
    }

    /**
     * @param started told the execution as soon as it runs, so that it can be stopped from elsewhere
     * @param collect a file to read back after the command (it is gone once the sandbox is released)
     */
    public SandboxRun run(TaskTemplate task, Command command, Consumer<Execution> started, Optional<Collect> collect)
            throws SandboxException, InterruptedException {
        SandboxPool pool = pools.get(task.driver());
        BaseSnapshot base = pool.driver().prepareBase(task.baseSpec());
        Resources resources = task.resources();
        Lease lease = pool.lease(base, resources, Duration.ofMinutes(1));
        // What it used before the lease is the pool's idle overhead, not this subtask's.
        Usage atLease = lease.usageAtLease();
        ExecResult result;
        Optional<byte[]> collected = Optional.empty();
        try {
            Execution execution = pool.exec(lease, command);
            started.accept(execution);
            result = execution.await();
            if (collect.isPresent()) {
                collected = collect.get().readFrom(pool, lease);
            }
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            pool.release(lease);
            throw e;
        }
        Optional<Duration> setup = Optional.ofNullable(base.buildTime());
        if (keeps(task, result)) {
            // Read before it is handed over: what it uses while kept is not this attempt's.
            Usage usage = since(atLease, pool.driver().usage(lease.sandbox()));
            Optional<SandboxKeeper.Kept> kept = keeper.keep(task.driver(), pool, lease,
                    Duration.ofMillis(task.keepOnFailureMs()));
            if (kept.isPresent()) {
                return new SandboxRun(result, usage, resources, setup, collected, kept);
            }
        }
        pool.release(lease);
        // After release: the driver's final figures, taken as it destroyed the sandbox.
        Usage usage = since(atLease, pool.driver().usage(lease.sandbox()));
        return new SandboxRun(result, usage, resources, setup, collected);
    }

    /** A failed command's sandbox is kept when the task asks; one that was killed (cancelled) is not. */
    private static boolean keeps(TaskTemplate task, ExecResult result) {
        return task.keepOnFailureMs() > 0 && !result.succeeded() && result.termination() != ExecResult.Termination.KILLED;
    }

    /** Times and CPU used between two readings; the limit, peak and disk are the later reading's. */
    public static Usage since(Usage before, Usage after) {
        Optional<Duration> cpu = after.cpuTime().map(t -> before.cpuTime().map(t::minus).orElse(t));
        return new Usage(after.activeTime().minus(before.activeTime()), after.standbyTime().minus(before.standbyTime()),
                cpu, after.memoryLimitBytes(), after.memoryPeakBytes(), after.diskBytes(),
                minus(after.egressBytes(), before.egressBytes()), minus(after.ingressBytes(), before.ingressBytes()));
    }

    private static OptionalLong minus(OptionalLong after, OptionalLong before) {
        return after.isPresent() ? OptionalLong.of(after.getAsLong() - before.orElse(0)) : OptionalLong.empty();
    }
}
