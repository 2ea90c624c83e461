package io.drover.orchestrator.api;

/** The request is valid but the current state forbids it; the message says what to do instead. */
public class ConflictException extends RuntimeException {
    public ConflictException(String detail) {
        super(detail);
    }
}
