package io.drover.orchestrator.job;

/** What the job core tells the routing layer; implemented by the Camel adapter. */
public interface JobEvents {
    /** A job was stored and waits to be split into subtasks. */
    void submitted(long jobId);
}
