package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.ExitCode;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "subtasks", mixinStandardHelpOptions = true,
        description = "A job's subtasks in index order: state, attempts, exit code, duration, failure, cost, item.")
final class SubtasksCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the job's id")
    long id;

    @Option(names = "--state", paramLabel = "STATE", description = "only PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED ones")
    String state;

    @Option(names = "--limit", paramLabel = "N", description = "at most N (1..1000; the server's default 100)")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the page after this nextCursor")
    String cursor;

    @Override
    public Integer call() {
        JsonNode page = api().get("/jobs/" + id + "/subtasks" + Query.of("state", state, "limit", limit, "cursor", cursor));
        print(page, p -> table(p.path("items")));
        Query.morePages(page, format(), err());
        return ExitCode.OK;
    }

    static Table table(JsonNode subtasks) {
        Table table = new Table("INDEX", "STATE", "ATTEMPTS", "EXIT", "DURATION", "FAILURE", "COST", "ITEM");
        for (JsonNode s : subtasks) {
            table.row(s.path("index").asText(), Values.text(s.get("state")), Values.text(s.get("attempts")),
                    Values.text(s.get("exitCode")), Values.millis(s.get("durationMs")), Values.text(s.get("failure")),
                    Values.usd(s.get("costUsd")), Values.text(s.get("item")));
        }
        return table;
    }
}
