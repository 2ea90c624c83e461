package io.drover.scheduler.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.schedule.ScheduleSettings;
import io.drover.scheduler.schedule.FieldProblem;
import java.util.List;

/** Validates one spec document as the REST API would; implemented where the spec validator lives. */
public interface SpecCheck {

    CheckedSpec check(JsonNode document);

    /** The outcome of checking one document. */
    sealed interface CheckedSpec {
    }

    /** @param schedule null for a spec that is run by name only */
    record Valid(String name, ScheduleSettings schedule) implements CheckedSpec {
    }

    /** @param name the document's metadata.name if it could be read, else null */
    record Invalid(String name, List<FieldProblem> problems) implements CheckedSpec {
    }
}
