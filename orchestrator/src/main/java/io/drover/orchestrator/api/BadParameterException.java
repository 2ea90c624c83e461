package io.drover.orchestrator.api;

/** A query or path parameter has a value the API cannot use. */
public class BadParameterException extends RuntimeException {
    private final String parameter;

    public BadParameterException(String parameter, String expected) {
        super(expected);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
