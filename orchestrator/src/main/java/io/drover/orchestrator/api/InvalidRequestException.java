package io.drover.orchestrator.api;

import io.drover.orchestrator.spec.FieldError;
import java.util.List;

/** A request body other than a job spec has bad fields; every one is listed. */
public class InvalidRequestException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
