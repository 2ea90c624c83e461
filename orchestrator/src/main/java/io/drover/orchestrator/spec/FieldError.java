package io.drover.orchestrator.spec;

/** One bad field of a spec: its path ({@code spec.fanout.items[3]}) and what is expected there. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
