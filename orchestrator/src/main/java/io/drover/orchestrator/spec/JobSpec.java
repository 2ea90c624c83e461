package io.drover.orchestrator.spec;

import io.drover.persistence.schedule.ScheduleSettings;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.secret.SecretRef;
import java.util.List;
import java.util.Map;

/** A validated job spec with every default filled in. See docs/job-spec.md for each field. */
public record JobSpec(String apiVersion, String kind, Metadata metadata, Spec spec) {

    public record Metadata(String name, Map<String, String> labels) {
    }

    /**
     * @param schedule set only for schedules (POST /api/v1/schedules, or a repository spec), else null
     * @param budget   spending limits, or null for none
     */
    public record Spec(Sandbox sandbox, Fanout fanout, Task task, Retry retry, Integer concurrency, int priority,
            ScheduleSettings schedule, Budget budget) {
    }

    /**
     * Limits in USD; either may be null. Reaching one stops the job from starting subtasks, and with
     * {@code onExceeded: stop-running} stops its running ones too ({@code finish-running} lets them finish).
     */
    public record Budget(java.math.BigDecimal maxCostUsd, java.math.BigDecimal maxCostPerSubtaskUsd,
            String onExceeded) {
        public Budget(java.math.BigDecimal maxCostUsd, java.math.BigDecimal maxCostPerSubtaskUsd) {
            this(maxCostUsd, maxCostPerSubtaskUsd, "finish-running");
        }

        public boolean stopRunning() {
            return "stop-running".equals(onExceeded);
        }
    }

    /** See {@code io.drover.persistence.retry.RetryPolicy}; {@code retryOnExitCodes} narrows nonzero-exit. */
    public record Retry(int maxAttempts, long initialBackoffMs, double multiplier, long maxBackoffMs,
            List<String> retryOn, List<Integer> retryOnExitCodes, List<Integer> doNotRetryOn) {
    }

    /**
     * @param network      what the task's commands may reach
     * @param setupNetwork what the setup commands may reach
     * @param setupSecrets the tenant's secrets the setup commands get, by name (never their values)
     */
    public record Sandbox(String driver, String image, Resources resources, List<String> setup,
            Map<String, String> setupEnv, List<SecretRef> setupSecrets, long standbyAfterMs, NetworkPolicy network, NetworkPolicy setupNetwork,
            long keepOnFailureMs) {
    }

    /**
     * @param diskMb what the sandbox may write to /workspace and /tmp together, in MiB (a hard limit:
     *               writes past it fail with ENOSPC); {@link #POOL_DEFAULT_DISK}: the worker's
     *               {@code drover.pool.sandbox-disk-mb}
     */
    public record Resources(int memoryMb, double vcpus, int diskMb) {
        public static final int POOL_DEFAULT_DISK = 0;
        public static final int MIN_DISK_MB = 16;
        /** 1 TiB: the image is sparse, so the limit costs nothing until written. */
        public static final int MAX_DISK_MB = 1_048_576;

        public Resources(int memoryMb, double vcpus) {
            this(memoryMb, vcpus, POOL_DEFAULT_DISK);
        }
    }

    /** Exactly one of the three is set. Items are JSON objects of named values. */
    public record Fanout(List<Map<String, Object>> items, Map<String, List<Object>> matrix, String fromCommand) {
    }

    /**
     * Exactly one of {@code command} (run in the sandbox) and {@code agent} (run on the worker host) is set.
     *
     * @param secrets the tenant's secrets the task is given, by name (their values are never in the spec)
     */
    public record Task(String command, Map<String, String> env, long timeoutMs, String agent,
            List<SecretRef> secrets) {
        public Task {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }

        public Task(String command, Map<String, String> env, long timeoutMs, String agent) {
            this(command, env, timeoutMs, agent, List.of());
        }
    }
}
