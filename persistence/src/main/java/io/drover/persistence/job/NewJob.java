package io.drover.persistence.job;

/**
 * A validated job about to be stored.
 *
 * @param specJson     the normalised spec, kept for display and re-submission
 * @param taskJson     what a worker needs to run one subtask (command template, env, sandbox, timeout)
 * @param labelsJson   the spec's metadata labels as a JSON object
 * @param scheduleId   the schedule that started the job, or null
 * @param sourceCommit the git commit the spec came from, or null
 */
public record NewJob(String name, String specJson, String taskJson, String labelsJson, String source,
        Long scheduleId, String sourceCommit) {

    /** A job submitted directly, not by a schedule or from a repository. */
    public NewJob(String name, String specJson, String taskJson, String labelsJson, String source) {
        this(name, specJson, taskJson, labelsJson, source, null, null);
    }
}
