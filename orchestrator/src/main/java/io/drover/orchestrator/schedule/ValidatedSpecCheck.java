package io.drover.orchestrator.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.spec.JobSpec;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.scheduler.gitsync.SpecCheck;
import io.drover.scheduler.schedule.FieldProblem;

/** Repository specs are validated exactly as REST specs are. */
public final class ValidatedSpecCheck implements SpecCheck {
    private final SpecValidator validator;

    public ValidatedSpecCheck(SpecValidator validator) {
        this.validator = validator;
    }

    @Override
    public CheckedSpec check(JsonNode document) {
        try {
            JobSpec spec = validator.validate(document);
            return new Valid(spec.metadata().name(), spec.spec().schedule());
        } catch (InvalidSpecException e) {
            JsonNode name = document.at("/metadata/name");
            return new Invalid(name.isTextual() ? name.asText() : null,
                    e.errors().stream().map(err -> new FieldProblem(err.field(), err.message())).toList());
        }
    }
}
