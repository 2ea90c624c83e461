package io.drover.workers.agent;

import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command run with {@code bash -c} directly on the worker host, as Drover's user, in a new session
 * (its own process group), so that a timeout or a kill ends it and everything it started. stdout and
 * stderr share one pipe, so their lines keep their order.
 */
public final class HostProcess implements Execution {
    private static final Logger LOG = LoggerFactory.getLogger(HostProcess.class);

    private final Process process;
    private final Thread pump;
    private final Duration timeout;
    private final long started = System.nanoTime();
    private volatile boolean killed;

    private HostProcess(Process process, Thread pump, Duration timeout) {
        this.process = process;
        this.pump = pump;
        this.timeout = timeout;
    }

    /** @param env the whole environment: nothing of Drover's own is inherited */
    public static HostProcess start(String script, Map<String, String> env, Path workDir, Duration timeout,
            OutputSink output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("setsid", "bash", "-c", script))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = new Thread(() -> copy(process.getInputStream(), output), "agent-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        return new HostProcess(process, pump, timeout);
    }

    @Override
    public ExecResult await() throws InterruptedException {
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            killGroup();
            process.waitFor();
        }
        // What the agent's children left running once it ended is killed too: they are its tools.
        killGroup();
        pump.join(Duration.ofSeconds(5).toMillis());
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        int exit = process.exitValue();
        if (!ended) {
            return new ExecResult(exit, ExecResult.Termination.TIMED_OUT, wall);
        }
        return new ExecResult(exit, killed ? ExecResult.Termination.KILLED : ExecResult.Termination.EXITED, wall);
    }

    @Override
    public void kill() {
        killed = true;
        killGroup();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL to the process group (setsid made the shell its leader: group id = its pid), then to
     * any descendant that left the group.
     */
    private void killGroup() {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("Could not signal the process group of agent {} ({})", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void copy(InputStream in, OutputSink output) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                output.write(buffer, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("The output of an agent ended: {}", e.toString());
        }
    }
}
