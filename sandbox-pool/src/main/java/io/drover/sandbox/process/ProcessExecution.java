package io.drover.sandbox.process;

import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One command running in a sandbox. The process Drover holds is bubblewrap's outer monitor: when it
 * dies, --die-with-parent kills the sandbox's pid 1, and with it the whole pid namespace, so nothing
 * the command started in the background outlives it.
 */
final class ProcessExecution implements Execution {
    private final Process process;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Termination> forced = new AtomicReference<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final ScheduledFuture<?> timeout;
    private final LongSupplier oomKills;
    private final long oomKillsAtStart;
    private final java.util.function.BooleanSupplier diskFull;
    private final Consumer<ProcessExecution> beforeKill;
    private final Consumer<ProcessExecution> afterKill;
    private final Consumer<ProcessExecution> onExit;
    private volatile ExecResult result;

    ProcessExecution(Process process, Command command, ScheduledExecutorService timers, LongSupplier oomKills,
            long oomKillsAtStart, java.util.function.BooleanSupplier diskFull, Consumer<ProcessExecution> beforeKill,
            Consumer<ProcessExecution> afterKill, Consumer<ProcessExecution> onExit) {
        this.process = process;
        this.diskFull = diskFull;
        this.oomKills = oomKills;
        this.oomKillsAtStart = oomKillsAtStart;
        this.beforeKill = beforeKill;
        this.afterKill = afterKill;
        this.onExit = onExit;
        this.stdoutPump = pump(process.getInputStream(), command.stdout(), "stdout-" + process.pid());
        this.stderrPump = pump(process.getErrorStream(), command.stderr(), "stderr-" + process.pid());
        this.timeout = timers.schedule(() -> stop(Termination.TIMED_OUT), command.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public ExecResult await() throws InterruptedException {
        ExecResult done = result;
        if (done != null) {
            return done;
        }
        int exit = process.waitFor();
        timeout.cancel(false);
        stdoutPump.join();
        stderrPump.join();
        synchronized (this) {
            if (result == null) {
                onExit.accept(this);
                Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
                result = new ExecResult(exit, termination(exit), wall);
            }
            return result;
        }
    }

    private Termination termination(int exit) {
        if (forced.get() != null) {
            return forced.get();
        }
        // A process the command depended on was OOM-killed; a command that recovered (exit 0) still succeeded.
        if (exit != 0 && oomKills.getAsLong() > oomKillsAtStart) {
            return Termination.OOM_KILLED;
        }
        // The kernel does not count ENOSPC anywhere; a command that failed with its disk full hit the limit.
        if (exit != 0 && diskFull.getAsBoolean()) {
            return Termination.DISK_FULL;
        }
        return Termination.EXITED;
    }

    @Override
    public void kill() {
        stop(Termination.KILLED);
    }

    private void stop(Termination why) {
        if (process.isAlive() && forced.compareAndSet(null, why)) {
            beforeKill.accept(this);
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            afterKill.accept(this);
        }
    }

    private static Thread pump(InputStream in, OutputSink sink, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // the stream closes when the sandbox dies; what was read has been delivered
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
