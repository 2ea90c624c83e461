package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Values;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "What a job cost: totals, by dimension, per succeeded subtask, the dearest subtasks, other billing.")
final class CostCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the job's id")
    long id;

    @Override
    public Integer call() {
        return print(api().get("/jobs/" + id + "/cost"), CostCommand::details);
    }

    static Details details(JsonNode cost) {
        Details details = new Details().add("job", cost.path("jobId").asText()).add("state", Values.text(cost.get("state")))
                .add("total", Values.usd(cost.get("totalUsd"))).add("ledger", Values.usd(cost.get("ledgerUsd")))
                .add("per succeeded subtask", Values.usd(cost.get("costPerSucceededSubtaskUsd")))
                .add("subtasks", cost.path("succeededSubtasks").asText() + " succeeded of " + cost.path("subtasks").asText())
                .add("attempts", cost.path("attempts").asText() + " (" + cost.path("failedAttempts").asText() + " failed)")
                .add("failed-attempt share", Values.text(cost.get("failedAttemptShare")))
                .add("cpu utilization", Values.text(cost.get("cpuUtilization")))
                .add("active", Values.millis(cost.get("activeMs")));
        for (Iterator<Map.Entry<String, JsonNode>> it = cost.path("byDimension").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> d = it.next();
            details.add("  " + d.getKey(), Values.usd(d.getValue()));
        }
        JsonNode shared = cost.get("shared");
        if (shared != null && shared.isObject()) {
            details.add("shared base", Values.text(shared));
        }
        for (JsonNode s : cost.path("dearest")) {
            details.add("dearest #" + s.path("index").asText(), Values.usd(s.get("costUsd")) + " ("
                    + s.path("state").asText() + ", " + s.path("attempts").asText() + " attempts)");
        }
        for (JsonNode c : cost.path("counterfactuals")) {
            details.add("billed " + c.path("billing").asText(), Values.usd(c.get("totalUsd")));
        }
        return details;
    }
}
