package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** tokens create, list and revoke, and what the tokens made can then do. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ServerExtension.class)
class TokenCommandsIT {
    static DroverServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void server(DroverServer started) {
        server = started;
    }

    private static Cli.Result as(String token, String... args) {
        return Cli.against(server, token, args);
    }

    @Test
    void a_read_token_made_here_reads_cannot_submit_and_stops_working_once_revoked() {
        String admin = server.adminToken();
        Cli.Result created = as(admin, "tokens", "create", "--role", "read", "--name", "cli-reader", "--expires-in", "1h");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String token = created.field("token");
        String id = created.field("id");
        assertThat(token).hasSizeGreaterThan(16);

        assertThat(as(token, "jobs").exitCode()).isZero();
        Cli.Result submit = as(token, "submit", Specs.write(dir, "ok.yaml", Specs.SUCCEEDS).toString());
        assertThat(submit.exitCode()).as(submit.toString()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(submit.err()).contains("(403)").contains("read");

        Cli.Result list = as(admin, "tokens", "list");
        String header = list.out().split("\n")[0];
        String row = Arrays.stream(list.out().split("\n")).filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
        assertThat(row).contains("cli-reader").contains("read").contains(token.substring(0, 12)).doesNotContain(token);
        assertThat(row.indexOf("cli-reader")).isEqualTo(header.indexOf("NAME"));

        Cli.Result revoked = as(admin, "tokens", "revoke", id);
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(as(token, "jobs").exitCode()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(as(admin, "-o", "json", "tokens", "list").out()).contains("\"revokedAt\" : \"20");
    }

    @Test
    void a_bad_role_is_refused_naming_the_field() {
        Cli.Result result = as(server.adminToken(), "tokens", "create", "--role", "superuser");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).contains("(400)").contains("\n  role: ");
    }
}
