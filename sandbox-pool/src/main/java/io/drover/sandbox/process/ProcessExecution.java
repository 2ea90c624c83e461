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

/** One command running as its own process group, with output pumps and a timeout. */
final class ProcessExecution implements Execution {
    private final Process process;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Termination> forced = new AtomicReference<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final ScheduledFuture<?> timeout;
    private final Runnable onExit;

    ProcessExecution(Process process, Command command, ScheduledExecutorService timers, Runnable onExit) {
        this.process = process;
        this.onExit = onExit;
        this.stdoutPump = pump(process.getInputStream(), command.stdout(), "stdout-" + process.pid());
        this.stderrPump = pump(process.getErrorStream(), command.stderr(), "stderr-" + process.pid());
        this.timeout = timers.schedule(() -> stop(Termination.TIMED_OUT), command.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    long groupId() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public ExecResult await() throws InterruptedException {
        int exit = process.waitFor();
        timeout.cancel(false);
        // The group may outlive its leader (a background job); it must not outlive the command.
        ProcessGroups.signal(groupId(), "KILL");
        stdoutPump.join();
        stderrPump.join();
        onExit.run();
        Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
        Termination termination = forced.get() == null ? Termination.EXITED : forced.get();
        return new ExecResult(exit, termination, wall);
    }

    @Override
    public void kill() {
        stop(Termination.KILLED);
    }

    private void stop(Termination why) {
        if (process.isAlive() && forced.compareAndSet(null, why)) {
            ProcessGroups.signal(groupId(), "CONT"); // a stopped group would not act on KILL until resumed
            ProcessGroups.signal(groupId(), "KILL");
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
                // the stream closes when the process dies; what was read has been delivered
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
