package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "repos", mixinStandardHelpOptions = true,
        description = "Git repositories of specs: list them, or show or sync one.",
        subcommands = {ReposCommand.Show.class, ReposCommand.Sync.class})
final class ReposCommand extends ApiCommand {
    @Override
    public Integer call() {
        return print(api().get("/repos"), list -> {
            Table table = new Table("ID", "URL", "BRANCH", "PATH", "SPECS", "LAST SYNC", "COMMIT", "ERROR");
            for (JsonNode r : list) {
                JsonNode sync = r.path("lastSync");
                table.row(r.path("id").asText(), Values.text(r.get("url")), Values.text(r.get("branch")),
                        Values.text(r.get("path")), r.path("specs").size(), Values.text(sync.get("at")),
                        Values.text(sync.get("commit")), Values.text(sync.get("error")));
            }
            return table;
        });
    }

    static Details details(JsonNode r) {
        JsonNode sync = r.path("lastSync");
        Details details = new Details().add("id", r.path("id").asText()).add("url", Values.text(r.get("url")))
                .add("branch", Values.text(r.get("branch"))).add("path", Values.text(r.get("path")))
                .add("last sync", Values.text(sync.get("at"))).add("commit", Values.text(sync.get("commit")))
                .add("error", Values.text(sync.get("error")));
        for (JsonNode problem : sync.path("problems")) {
            details.add("problem", problem.path("path").asText() + ":" + problem.path("line").asText() + " "
                    + problem.path("field").asText() + ": " + problem.path("message").asText());
        }
        for (JsonNode spec : r.path("specs")) {
            details.add("spec " + spec.path("name").asText(), spec.path("path").asText() + ":" + spec.path("line").asText()
                    + (spec.path("scheduled").asBoolean() ? " (scheduled)" : ""));
        }
        return details;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One repository: last sync, problems by file and line, specs.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return print(api().get("/repos/" + id), ReposCommand::details);
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Sync the repository now.")
    static final class Sync extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return print(api().post("/repos/" + id + "/sync"), ReposCommand::details);
        }
    }
}
