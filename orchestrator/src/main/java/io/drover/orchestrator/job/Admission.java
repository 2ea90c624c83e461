package io.drover.orchestrator.job;

/** Decides whether a tenant may have a new job now, from any door; throws to refuse it. */
@FunctionalInterface
public interface Admission {
    Admission ALWAYS = tenant -> { };

    void admit(String tenant);
}
