package io.drover.orchestrator.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec was rejected; {@link #errors()} lists every bad field, not only the first. */
public class InvalidSpecException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidSpecException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
