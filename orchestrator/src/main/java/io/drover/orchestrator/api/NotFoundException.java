package io.drover.orchestrator.api;

/** The thing named by the request path does not exist; the message names it. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what);
    }
}
