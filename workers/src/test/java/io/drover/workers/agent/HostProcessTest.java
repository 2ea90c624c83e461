package io.drover.workers.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.ExecResult;
import io.drover.sandbox.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's process on the host: its output, its environment, and the end of everything it started. */
class HostProcessTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "GREETING", "hi");

    @TempDir
    Path dir;

    @Test
    void output_of_both_streams_arrives_in_order_and_only_the_given_environment_is_seen() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputSink sink = (b, o, l) -> {
            synchronized (out) {
                out.write(b, o, l);
            }
        };
        HostProcess process = HostProcess.start("echo $GREETING; echo err >&2; echo \"home=${HOME:-none} pwd=$PWD\"; exit 4",
                ENV, dir, Duration.ofSeconds(30), sink);

        ExecResult result = process.await();

        assertThat(result.termination()).isEqualTo(ExecResult.Termination.EXITED);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\nerr\nhome=none pwd=" + dir + "\n");
    }

    @Test
    void a_timeout_kills_the_agent_and_what_it_started_in_the_background() throws Exception {
        HostProcess process = HostProcess.start("sleep 300 & echo $! > child.pid; wait", ENV, dir,
                Duration.ofSeconds(1), OutputSink.DISCARD);

        ExecResult result = process.await();

        assertThat(result.termination()).isEqualTo(ExecResult.Termination.TIMED_OUT);
        assertChildGone();
    }

    @Test
    void a_kill_ends_the_agent_and_its_children_and_is_reported_as_killed() throws Exception {
        HostProcess process = HostProcess.start("sleep 300 & echo $! > child.pid; wait", ENV, dir,
                Duration.ofMinutes(5), OutputSink.DISCARD);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("child.pid"))
                && !Files.readString(dir.resolve("child.pid")).isBlank());

        process.kill();
        ExecResult result = process.await();

        assertThat(result.termination()).isEqualTo(ExecResult.Termination.KILLED);
        assertChildGone();
    }

    private void assertChildGone() throws Exception {
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
}
