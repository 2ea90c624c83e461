package io.drover.persistence.job;

import java.util.Optional;

/**
 * A validated job about to be stored.
 *
 * @param specJson       the normalised spec, kept for display and re-submission
 * @param taskJson       what a worker needs to run one subtask (command template, env, sandbox, timeout, retry)
 * @param labelsJson     the spec's metadata labels as a JSON object
 * @param idempotencyKey the client's key: a second submission with it returns this job instead of a new one
 * @param requestHash    a hash of the normalised spec, to tell a retried request from a different one
 * @param scheduleId     the schedule that started the job, or null
 * @param sourceCommit   the git commit the spec came from, or null
 * @param tenant         whose job it is; idempotency keys are unique within a tenant
 */
public record NewJob(String name, String specJson, String taskJson, String labelsJson, String source,
        Optional<String> idempotencyKey, String requestHash, Dispatch dispatch, Long scheduleId, String sourceCommit,
        String tenant) {
    /** The tenant of rows made before tenants existed (V14). */
    public static final String DEFAULT_TENANT = "default";

    public NewJob {
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
    }

    /**
     * How the claim treats the job's subtasks.
     *
     * @param concurrency at most this many of its subtasks run at once; null for no limit
     * @param priority    higher first, among jobs with the same share of running subtasks
     * @param maxAttempts attempts a subtask may use under the retry policy
     * @param retryLost   whether lost attempts may also be retried under {@code maxAttempts}
     * @param maxCostUsd  no subtask starts once the job's cost reaches this; null for no limit
     * @param maxCostPerSubtaskUsd no subtask starts once one subtask's cost reaches this; null for no limit
     * @param stopRunningOnBudget  once a budget is reached, stop the job's running subtasks too
     *                             ({@code onExceeded: stop-running}) instead of letting them finish
     */
    public record Dispatch(Integer concurrency, int priority, int maxAttempts, boolean retryLost,
            java.math.BigDecimal maxCostUsd, java.math.BigDecimal maxCostPerSubtaskUsd, boolean stopRunningOnBudget) {
        public static final Dispatch DEFAULT = new Dispatch(null, 0, 1, false);

        public Dispatch(Integer concurrency, int priority, int maxAttempts, boolean retryLost) {
            this(concurrency, priority, maxAttempts, retryLost, null, null);
        }

        public Dispatch(Integer concurrency, int priority, int maxAttempts, boolean retryLost,
                java.math.BigDecimal maxCostUsd, java.math.BigDecimal maxCostPerSubtaskUsd) {
            this(concurrency, priority, maxAttempts, retryLost, maxCostUsd, maxCostPerSubtaskUsd, false);
        }
    }

    /** A job submitted directly, not by a schedule or from a repository, with the default dispatch. */
    public static NewJob of(String name, String specJson, String taskJson, String labelsJson, String source) {
        return new NewJob(name, specJson, taskJson, labelsJson, source, Optional.empty(), "", Dispatch.DEFAULT, null,
                null, DEFAULT_TENANT);
    }

    public NewJob withOrigin(Long scheduleId, String sourceCommit) {
        return new NewJob(name, specJson, taskJson, labelsJson, source, idempotencyKey, requestHash, dispatch,
                scheduleId, sourceCommit, tenant);
    }
}
