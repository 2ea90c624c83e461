package io.drover.orchestrator.api;

/** A request lacked the token of the resource it names. */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
