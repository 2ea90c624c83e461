package io.drover.cli.command;

import io.drover.cli.http.Api;
import io.drover.cli.output.Format;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code drover}: the global options, and the commands below it. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Drover's REST API from a shell: submit and follow jobs, read subtasks, logs and cost, manage tokens.",
        subcommands = {SubmitCommand.class, JobsCommand.class, JobCommand.class, SubtasksCommand.class,
            LogsCommand.class, CostCommand.class, CancelCommand.class, RetryCommand.class, SchedulesCommand.class,
            ReposCommand.class, SnapshotsCommand.class, SandboxCommand.class, TokensCommand.class,
            CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; for submit --wait, the job SUCCEEDED",
            "1:the job (or the followed subtask) FAILED, was CANCELLED or went over budget",
            "2:bad command line or unreadable file",
            "3:the server is unreachable, or refused the token (401, 403)",
            "4:the server refused the request (400, 404, 409, 429...) or failed it (5xx)"})
public final class DroverCommand {
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:DROVER_SERVER:-http://127.0.0.1:8080}",
            description = "Drover's URL (env DROVER_SERVER; default ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN", defaultValue = "${env:DROVER_TOKEN}",
            description = "bearer token (env DROVER_TOKEN; default: the admin token in <data dir>/admin-token,"
                    + " the data dir being env DROVER_DATA_DIR or ~/.drover)")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json",
            defaultValue = "table", description = "table (aligned columns) or json (the server's JSON); default ${DEFAULT-VALUE}")
    Format output;

    Api api() {
        return new Api(URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server), token());
    }

    Format output() {
        return output;
    }

    /** --token, DROVER_TOKEN, else the local server's admin token, if this user can read it. */
    private Optional<String> token() {
        if (token != null && !token.isBlank()) {
            return Optional.of(token.strip());
        }
        String dataDir = System.getenv("DROVER_DATA_DIR");
        Path file = (dataDir == null || dataDir.isBlank() ? Path.of(System.getProperty("user.home"), ".drover")
                : Path.of(dataDir)).resolve("admin-token");
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
