package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** schedules, snapshots, repos and sandbox against a real Drover server. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ServerExtension.class)
class ResourceCommandsIT {
    static DroverServer server;

    @BeforeAll
    static void server(DroverServer started) {
        server = started;
    }

    private static Cli.Result drover(String... args) {
        return Cli.against(server, server.adminToken(), args);
    }

    @Test
    void a_schedule_is_listed_shown_and_triggered() throws Exception {
        // Schedules are made over the API (or from a repository); the CLI reads and fires them.
        HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/v1/schedules")).header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString("""
                        apiVersion: drover/v1
                        kind: Job
                        metadata: {name: cli-yearly}
                        spec:
                          fanout: {items: [x]}
                          task: {command: 'echo yearly', timeout: 1m}
                          schedule: {cron: "0 0 3 1 1 ?"}
                        """)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = made.body().replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1");

        Cli.Result list = drover("schedules");
        assertThat(list.out().split("\n")[0]).startsWith("ID").contains("CRON");
        assertThat(list.out()).contains("cli-yearly").contains("0 0 3 1 1 ?");
        assertThat(drover("schedules", "show", id).out()).contains("cron:").contains("next fires:");

        Cli.Result fired = drover("schedules", "trigger", id);
        assertThat(fired.exitCode()).as(fired.toString()).isZero();
        assertThat(fired.field("outcome")).isEqualTo("STARTED");
        assertThat(fired.field("job")).matches("\\d+");
        assertThat(drover("schedules", "fires", id).out()).contains("STARTED");
        assertThat(drover("schedules", "show", "999999").exitCode()).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void snapshots_and_repos_list_as_tables_and_json() {
        Cli.Result snapshots = drover("snapshots");
        assertThat(snapshots.exitCode()).as(snapshots.toString()).isZero();
        assertThat(snapshots.out()).startsWith("HASH");
        assertThat(drover("snapshots", "-o", "json").out()).contains("\"items\"");
        Cli.Result repos = drover("repos");
        assertThat(repos.exitCode()).as(repos.toString()).isZero();
        assertThat(repos.out()).startsWith("ID");
        assertThat(drover("repos", "show", "999999").exitCode()).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void a_sandbox_is_opened_execs_with_its_own_token_and_is_removed() {
        Cli.Result opened = drover("sandbox", "open");
        assertThat(opened.exitCode()).as(opened.toString()).isZero();
        String id = opened.field("id");
        String token = opened.field("token");

        Cli.Result ran = drover("sandbox", "exec", id, "--sandbox-token", token, "--", "echo hello from $HOSTNAME; echo oops >&2; exit 3");
        assertThat(ran.exitCode()).as(ran.toString()).isEqualTo(3);
        assertThat(ran.out()).startsWith("hello from");
        assertThat(ran.err()).isEqualTo("oops\n");
        assertThat(drover("sandbox", "show", id, "--sandbox-token", token).out()).contains("state:");

        Cli.Result wrong = drover("sandbox", "exec", id, "--sandbox-token", "not-its-token", "--", "true");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(drover("sandbox", "rm", id, "--sandbox-token", token).exitCode()).isZero();
        assertThat(drover("sandbox", "exec", id, "--sandbox-token", token, "--", "true").exitCode())
                .isIn(ExitCode.REFUSED, ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
    }
}
