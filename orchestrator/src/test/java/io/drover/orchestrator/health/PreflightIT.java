package io.drover.orchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.testing.TestDatabases;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drover started where a program the process driver needs is missing for it (taken off its PATH,
 * not off the machine): it must say so at start-up, take no work, and never fail a subtask for it.
 */
class PreflightIT {
    private static final List<String> BIN_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");

    private static final String BIN = "bin-without-";

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void without_nft_the_server_is_live_but_not_ready_and_readiness_names_what_to_install() throws Exception {
        try (DroverProcess drover = new DroverProcess(TestDatabases.server().jdbcUrl(TestDatabases.empty()),
                temp.resolve("data"), temp.resolve("server.log"), Map.of()).withPath(pathWithout("nft").toString())) {
            drover.start("/q/health/live");

            HttpResponse<String> ready = drover.get("/q/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\": \"DOWN\"").contains("the process sandbox driver cannot run"
                    + " here: nft: nft not found on Drover's PATH").contains("apt-get install nftables");
            assertThat(drover.get("/q/metrics").body()).as("this worker takes no work")
                    .contains("drover_worker_slots_capacity 0.0");
            HttpResponse<String> refused = drover.post("/api/v1/jobs", "{\"metadata\": {\"name\": \"x\"}, \"spec\":"
                    + " {\"fanout\": {\"items\": [1]}, \"task\": {\"command\": \"true\"}}}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).as("the spec is refused with the preflight's reason").contains(
                    "\"field\":\"spec.sandbox.driver\"").contains("nft not found on Drover's PATH");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void without_pasta_run_mode_exits_2_with_the_reason_and_submits_nothing() throws Exception {
        String database = TestDatabases.empty();
        Path spec = Files.writeString(temp.resolve("job.yaml"), """
                metadata: {name: never}
                spec:
                  fanout: {items: [a, b]}
                  task: {command: echo ${item}}
                """);
        try (DroverProcess drover = new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve("data"),
                temp.resolve("run.log"), Map.of("drover.run.spec", spec.toString())).withPath(pathWithout("pasta").toString())) {
            int exit = drover.launch().awaitExit(Duration.ofSeconds(90));

            assertThat(exit).isEqualTo(2);
            assertThat(drover.log()).contains("Drover cannot run sandboxes on this machine, so " + spec
                    + " was not submitted: the process sandbox driver cannot run here: pasta: pasta not found")
                    .contains("apt-get install passt");
        }
        assertThat(Sql.scalar(TestDatabases.server().dataSource(database), "SELECT count(*) FROM job")).as("nothing was submitted").isZero();
    }

    @AfterEach
    void removeLinks() throws IOException {
        // Here, not by @TempDir, which warns about every link whose name reads like a path.
        try (Stream<Path> dirs = Files.list(temp)) {
            for (Path dir : (Iterable<Path>) dirs.filter(d -> d.getFileName().toString().startsWith(BIN))::iterator) {
                try (Stream<Path> links = Files.list(dir)) {
                    for (Path link : (Iterable<Path>) links::iterator) {
                        Files.delete(link);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    /** A directory of links to every program on the usual PATH but {@code missing}. */
    private Path pathWithout(String missing) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(BIN + missing));
        for (String bin : BIN_DIRS) {
            Path source = Path.of(bin);
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(source)) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    Path link = dir.resolve(program.getFileName().toString());
                    if (!program.getFileName().toString().equals(missing) && Files.notExists(link,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return dir;
    }

}
