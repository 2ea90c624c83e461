package io.drover.scheduler.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.schedule.ScheduleSettings;
import io.drover.scheduler.schedule.FieldProblem;
import io.drover.scheduler.schedule.ScheduleSettingsReader;
import java.util.ArrayList;
import java.util.List;

/** A stand-in for the orchestrator's validator: a name, a task command, and a valid schedule if any. */
final class SimpleSpecCheck implements SpecCheck {
    @Override
    public CheckedSpec check(JsonNode doc) {
        List<FieldProblem> problems = new ArrayList<>();
        String name = doc.at("/metadata/name").isTextual() ? doc.at("/metadata/name").asText() : null;
        if (name == null) {
            problems.add(new FieldProblem("metadata.name", "is required"));
        }
        if (!doc.at("/spec/task/command").isTextual()) {
            problems.add(new FieldProblem("spec.task.command", "is required"));
        }
        ScheduleSettings schedule = null;
        if (doc.at("/spec/schedule").isObject()) {
            ScheduleSettingsReader.Result r = ScheduleSettingsReader.read(doc.at("/spec/schedule"), "spec.schedule");
            problems.addAll(r.problems());
            schedule = r.settings().orElse(null);
        }
        return problems.isEmpty() ? new Valid(name, schedule) : new Invalid(name, problems);
    }
}
