package io.drover.workers.sandbox;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.task.TaskTemplate;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs one command in a fresh sandbox of the task's base, leased from the driver's pool (a warm
 * clone when one waits), and destroyed afterwards so that no state leaks into the next subtask.
 */
public final class OneShotSandbox {
    private final Pools pools;

    public OneShotSandbox(Pools pools) {
        this.pools = pools;
    }

    /**
     * @param started told the execution as soon as it runs, so that it can be stopped from elsewhere
     */
    public ExecResult run(TaskTemplate task, Command command, Consumer<Execution> started)
            throws SandboxException, InterruptedException {
        SandboxPool pool = pools.get(task.driver());
        BaseSnapshot base = pool.driver().prepareBase(new BaseSpec(task.image(), task.setup(), task.setupEnv()));
        Lease lease = pool.lease(base, new Resources(task.memoryMb(), task.vcpus(), Resources.DEFAULT.maxProcesses()),
                Duration.ofMinutes(1));
        try {
            Execution execution = pool.exec(lease, command);
            started.accept(execution);
            return execution.await();
        } finally {
            pool.release(lease);
        }
    }
}
