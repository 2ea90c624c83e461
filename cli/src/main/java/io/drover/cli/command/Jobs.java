package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import io.drover.cli.watch.JobWatch;
import java.util.Iterator;
import java.util.Map;

/** How jobs look in tables, and which of their states are ends. */
final class Jobs {
    private Jobs() {
    }

    static Table table(JsonNode jobs) {
        Table table = new Table("ID", "NAME", "STATE", "SUBTASKS", "SOURCE", "CREATED", "FINISHED");
        for (JsonNode job : jobs) {
            table.row(job.path("id").asText(), Values.text(job.get("name")), Values.text(job.get("state")),
                    Values.text(job.get("subtasks")), Values.text(job.get("source")),
                    Values.text(job.get("createdAt")), Values.text(job.get("finishedAt")));
        }
        return table;
    }

    static Details details(JsonNode job) {
        return new Details().add("id", job.path("id").asText()).add("name", Values.text(job.get("name")))
                .add("state", Values.text(job.get("state")) + (job.path("cancelRequested").asBoolean()
                        && !JobWatch.ENDED.contains(job.path("state").asText()) ? " (cancel requested)" : ""))
                .add("subtasks", Values.text(job.get("subtasks"))).add("counts", counts(job.get("counts")))
                .add("labels", Values.text(job.get("labels"))).add("source", Values.text(job.get("source")))
                .add("error", Values.text(job.get("error"))).add("created", Values.text(job.get("createdAt")))
                .add("started", Values.text(job.get("startedAt"))).add("finished", Values.text(job.get("finishedAt")));
    }

    static String counts(JsonNode counts) {
        if (counts == null || !counts.isObject()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> count = it.next();
            text.append(text.length() == 0 ? "" : "  ").append(count.getKey().toLowerCase()).append(' ')
                    .append(count.getValue().asText());
        }
        return text.toString();
    }
}
