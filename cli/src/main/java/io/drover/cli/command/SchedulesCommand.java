package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Schedules (cron jobs): list them, or show, trigger or list the fires of one.",
        subcommands = {SchedulesCommand.Show.class, SchedulesCommand.Trigger.class, SchedulesCommand.Fires.class})
final class SchedulesCommand extends ApiCommand {
    @Override
    public Integer call() {
        return print(api().get("/schedules"), list -> {
            Table table = new Table("ID", "NAME", "CRON", "TIME ZONE", "SUSPENDED", "NEXT FIRE", "LAST JOB");
            for (JsonNode s : list) {
                JsonNode lastJob = s.get("lastJob");
                table.row(s.path("id").asText(), Values.text(s.get("name")), Values.text(s.get("cron")),
                        Values.text(s.get("timeZone")), s.path("suspended").asText(),
                        Values.text(s.path("nextFireTimes").path(0)), lastJob == null || lastJob.isNull() ? null
                                : lastJob.path("id").asText() + " " + lastJob.path("state").asText());
            }
            return table;
        });
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One schedule: its settings, next fires, last fire and job.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return print(api().get("/schedules/" + id), s -> new Details().add("id", s.path("id").asText())
                    .add("name", Values.text(s.get("name"))).add("cron", Values.text(s.get("cron")))
                    .add("time zone", Values.text(s.get("timeZone"))).add("overlap", Values.text(s.get("overlap")))
                    .add("misfire", Values.text(s.get("misfire"))).add("suspended", s.path("suspended").asText())
                    .add("owner", Values.text(s.get("owner"))).add("next fires", Values.text(s.get("nextFireTimes")))
                    .add("last fire", Values.text(s.get("lastFire"))).add("last job", Values.text(s.get("lastJob"))));
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = "Fire the schedule now; prints the job it started (exit 4 when the fire is skipped: 409).")
    static final class Trigger extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return print(api().post("/schedules/" + id + "/trigger"), f -> new Details()
                    .add("outcome", Values.text(f.get("outcome"))).add("job", Values.text(f.get("jobId")))
                    .add("reason", Values.text(f.get("reason"))));
        }
    }

    @Command(name = "fires", mixinStandardHelpOptions = true, description = "Every fire of the schedule, skipped ones too.")
    static final class Fires extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            return print(api().get("/schedules/" + id + "/fires"), list -> {
                Table table = new Table("TRIGGER", "SCHEDULED", "FIRED", "OUTCOME", "JOB", "REASON");
                for (JsonNode f : list) {
                    table.row(Values.text(f.get("trigger")), Values.text(f.get("scheduledAt")),
                            Values.text(f.get("firedAt")), Values.text(f.get("outcome")), Values.text(f.get("jobId")),
                            Values.text(f.get("reason")));
                }
                return table;
            });
        }
    }
}
