package io.drover.sandbox.microvm.agent;

import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Execution;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One command running in a guest: its output frames go to the command's sinks as they arrive, its
 * exit frame ends it. Killing (by {@link #kill()} or the timeout) goes through {@code killer},
 * which resumes a VM in standby first; the command's whole session dies in the guest.
 */
public final class AgentExecution implements Execution, FrameListener {
    private final Command command;
    private final long startNanos = System.nanoTime();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Termination> forced = new AtomicReference<>();
    private final Consumer<AgentExecution> killer;
    private final Consumer<AgentExecution> onEnd;
    private volatile int channel;
    private volatile ScheduledFuture<?> timeout;
    private volatile ExecResult result;

    public AgentExecution(Command command, Consumer<AgentExecution> killer, Consumer<AgentExecution> onEnd) {
        this.command = command;
        this.killer = killer;
        this.onEnd = onEnd;
    }

    /** Called once the channel is known and the exec frame is about to be sent. */
    public void started(int channel, ScheduledExecutorService timers) {
        this.channel = channel;
        this.timeout = timers.schedule(() -> stop(Termination.TIMED_OUT), command.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public int channel() {
        return channel;
    }

    public boolean merged() {
        return command.stdout() == command.stderr();
    }

    public boolean isRunning() {
        return result == null;
    }

    @Override
    public void frame(byte type, byte[] payload) {
        switch (type) {
            case AgentProtocol.STDOUT -> command.stdout().write(payload, 0, payload.length);
            case AgentProtocol.STDERR -> command.stderr().write(payload, 0, payload.length);
            case AgentProtocol.EXIT -> {
                ByteBuffer p = ByteBuffer.wrap(payload);
                int code = p.getInt();
                p.get(); // signaled: the code is already 128+signal
                boolean oom = p.get() != 0;
                // Guests built before disk-full reporting send 6 bytes.
                boolean diskFull = p.hasRemaining() && p.get() != 0;
                Termination why = forced.get() != null ? forced.get()
                        : oom && code != 0 ? Termination.OOM_KILLED
                        : diskFull && code != 0 ? Termination.DISK_FULL : Termination.EXITED;
                end(code, why);
            }
            case AgentProtocol.EXEC_ERROR -> {
                byte[] message = ("drover: the command could not start in the guest: "
                        + new String(payload, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
                command.stderr().write(message, 0, message.length);
                end(127, Termination.EXITED);
            }
            default -> { }
        }
    }

    @Override
    public void lost(String why) {
        byte[] message = ("drover: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        command.stderr().write(message, 0, message.length);
        forced.compareAndSet(null, Termination.KILLED);
        end(137, forced.get());
    }

    private void end(int code, Termination why) {
        synchronized (this) {
            if (result != null) {
                return;
            }
            result = new ExecResult(code, why, Duration.ofNanos(System.nanoTime() - startNanos));
        }
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
        onEnd.accept(this);
        done.countDown();
    }

    @Override
    public ExecResult await() throws InterruptedException {
        done.await();
        return result;
    }

    @Override
    public void kill() {
        stop(Termination.KILLED);
    }

    private void stop(Termination why) {
        if (result == null && forced.compareAndSet(null, why)) {
            killer.accept(this);
        }
    }
}
