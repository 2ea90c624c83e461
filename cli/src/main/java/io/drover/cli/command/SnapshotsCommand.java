package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "Base snapshots, most recently used first; show HASH for one.",
        subcommands = SnapshotsCommand.Show.class)
final class SnapshotsCommand extends ApiCommand {
    @Override
    public Integer call() {
        return print(api().get("/snapshots"), list -> {
            Table table = new Table("HASH", "DRIVER", "STATE", "SIZE", "BUILD", "JOBS", "LAST USED", "IMAGE");
            for (JsonNode s : list.path("items")) {
                table.row(s.path("hash").asText(), Values.text(s.get("driver")), Values.text(s.get("state")),
                        Values.text(s.get("sizeBytes")), Values.millis(s.get("buildMs")),
                        Values.text(s.path("users").get("jobs")), Values.text(s.get("lastUsedAt")),
                        Values.text(s.get("image")));
            }
            return table;
        });
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One base: setup, size, users, copies per node.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "HASH")
        String hash;

        @Override
        public Integer call() {
            return print(api().get("/snapshots/" + hash), s -> {
                Details details = new Details().add("hash", s.path("hash").asText())
                        .add("driver", Values.text(s.get("driver"))).add("state", Values.text(s.get("state")))
                        .add("image", Values.text(s.get("image"))).add("setup", Values.text(s.get("setup")))
                        .add("size", Values.text(s.get("sizeBytes"))).add("build", Values.millis(s.get("buildMs")))
                        .add("error", Values.text(s.get("error"))).add("users", Values.text(s.get("users")))
                        .add("last used", Values.text(s.get("lastUsedAt")));
                for (JsonNode copy : s.path("copies")) {
                    details.add("copy on " + copy.path("node").asText(), copy.path("state").asText());
                }
                return details;
            });
        }
    }
}
