package io.drover.persistence.job;

/**
 * A validated job about to be stored.
 *
 * @param specJson   the normalised spec, kept for display and re-submission
 * @param taskJson   what a worker needs to run one subtask (command template, env, sandbox, timeout)
 * @param labelsJson the spec's metadata labels as a JSON object
 */
public record NewJob(String name, String specJson, String taskJson, String labelsJson, String source) {
}
