package io.drover.workers.sandbox;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.workers.task.TaskTemplate;
import java.util.function.Consumer;

/** Runs one command in a fresh clone of the task's base, and destroys the clone afterwards. */
public final class OneShotSandbox {
    private final Drivers drivers;

    public OneShotSandbox(Drivers drivers) {
        this.drivers = drivers;
    }

    /**
     * @param started told the execution as soon as it runs, so that it can be stopped from elsewhere
     */
    public ExecResult run(TaskTemplate task, Command command, Consumer<Execution> started)
            throws SandboxException, InterruptedException {
        SandboxDriver driver = drivers.get(task.driver());
        BaseSnapshot base = driver.prepareBase(new BaseSpec(task.image(), task.setup(), task.setupEnv()));
        Sandbox sandbox = driver.clone(base, new Resources(task.memoryMb(), task.vcpus(), Resources.DEFAULT.maxProcesses()));
        try {
            Execution execution = driver.exec(sandbox, command);
            started.accept(execution);
            return execution.await();
        } finally {
            driver.destroy(sandbox);
        }
    }
}
