package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's bin/drover as a separate process: environment defaults, completion, and the progress bar in tmux. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ServerExtension.class)
class LauncherIT {
    static final String SLOW = """
            apiVersion: drover/v1
            kind: Job
            metadata: {name: cli-slow}
            spec:
              concurrency: 2
              fanout: {items: [1, 2, 3, 4, 5, 6]}
              task: {command: 'sleep 1.5; echo "done ${item}"', timeout: 1m}
            """;
    static DroverServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void server(DroverServer started) {
        server = started;
    }

    private static Path bin() {
        Path bin = Path.of(System.getProperty("drover.cli.home", "target/drover-cli")).resolve("bin/drover");
        assertThat(bin).as("the distribution is unpacked by mvn package").isExecutable();
        return bin;
    }

    private record Ran(int exitCode, String out) {
    }

    private static Ran run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DROVER_TOKEN");
        builder.environment().remove("DROVER_SERVER");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Ran(process.exitValue(), out);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void the_server_and_the_local_admin_token_come_from_the_environment() throws Exception {
        Ran ran = run(Map.of("DROVER_SERVER", server.url(), "DROVER_DATA_DIR", server.dataDir().toString()), "jobs");
        assertThat(ran.exitCode()).as(ran.out()).isZero();
        assertThat(ran.out()).startsWith("ID");

        Ran elsewhere = run(Map.of("DROVER_SERVER", server.url(), "DROVER_DATA_DIR", dir.toString()), "jobs");
        assertThat(elsewhere.exitCode()).as(elsewhere.out()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(elsewhere.out()).contains("(401)");
    }

    @Test
    void completion_prints_a_bash_script_for_every_command() throws Exception {
        Ran ran = run(Map.of(), "completion");
        assertThat(ran.exitCode()).isZero();
        assertThat(ran.out()).contains("complete -F").contains("submit").contains("tokens").contains("--output");
    }

    @Test
    void submit_wait_on_a_terminal_draws_one_progress_line_with_counts() throws Exception {
        Path spec = Specs.write(dir, "slow.yaml", SLOW);
        // A socket of its own in the test's directory: no tmux server or socket file outlives the test.
        String socket = dir.resolve("tmux.sock").toString();
        String shell = "env -u DROVER_TOKEN DROVER_SERVER=" + server.url() + " DROVER_DATA_DIR=" + server.dataDir()
                + " " + bin() + " submit --wait " + spec + "; echo EXIT=$?; sleep 120";
        tmux(socket, "new-session", "-d", "-s", "cli", "-x", "160", "-y", "12", shell);
        try {
            List<String> bars = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                String pane = tmux(socket, "capture-pane", "-p", "-t", "cli");
                pane.lines().filter(l -> l.matches("job \\d+ \\[[#-]{24}\\] .*")).forEach(bars::add);
                return pane.contains("EXIT=");
            });
            String pane = tmux(socket, "capture-pane", "-p", "-t", "cli");
            assertThat(pane).contains("EXIT=0");
            assertThat(bars).as("bars seen while the job ran").anyMatch(b -> b.matches(".* \\d/6 .*running \\d.*"));
            // Redrawn in place: one bar line on the screen, then the summary, not a line per poll.
            assertThat(pane.lines().filter(l -> l.startsWith("job ") && l.contains("[")).count()).isEqualTo(1);
            assertThat(pane).containsPattern("\\[#{24}\\] 6/6  succeeded 6 .*\\$[0-9.]+  SUCCEEDED")
                    .containsPattern("job \\d+ SUCCEEDED: 6/6  succeeded 6 in ");
        } finally {
            tmux(socket, "kill-server");
        }
    }

    private static String tmux(String socket, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
