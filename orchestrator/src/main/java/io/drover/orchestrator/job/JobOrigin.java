package io.drover.orchestrator.job;

/**
 * Where a job came from, recorded on the job.
 *
 * @param source       {@code rest}, {@code schedule}, {@code git} or {@code cli}
 * @param scheduleId   the schedule that fired it, or null
 * @param sourceCommit the git commit its spec was read at, or null
 * @param tenant       whose job it is: the caller's, or its schedule's or repository's
 */
public record JobOrigin(String source, Long scheduleId, String sourceCommit, String tenant) {
    public static JobOrigin of(String source, String tenant) {
        return new JobOrigin(source, null, null, tenant);
    }
}
