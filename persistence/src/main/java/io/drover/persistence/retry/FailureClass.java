package io.drover.persistence.retry;

import java.util.Arrays;
import java.util.Optional;

/** Why an attempt did not succeed, as recorded on the attempt and named in {@code retry.retryOn}. */
public enum FailureClass {
    /** The command exited with a nonzero code. */
    NONZERO_EXIT("nonzero-exit"),
    /** The task timeout killed the command. */
    TIMEOUT("timeout"),
    /** The sandbox's memory limit killed the command. */
    OOM("oom"),
    /**
     * The command failed with its sandbox's disk full: a write to /workspace or /tmp went past
     * {@code resources.diskMb} (ENOSPC). Never retried: the same command writes as much again, so
     * the spec needs a larger diskMb or the command less output.
     */
    DISK_QUOTA("disk-quota"),
    /** The sandbox or the worker running it died, or the sandbox could not be created. */
    SANDBOX_LOST("sandbox-lost"),
    /**
     * A setup command of the sandbox's base exited nonzero; the attempt records its exit code and
     * output. Never retried: the same setup would fail again, so the spec needs fixing.
     */
    SETUP_FAILED("setup-failed"),
    /**
     * A secret the task names (spec.task.secrets) no longer exists in its tenant when the attempt
     * starts. Never retried: the secret has to be made again first.
     */
    SECRET_MISSING("secret-missing"),
    /** A user cancelled the job or the subtask; never retried. */
    CANCELLED("cancelled");

    private final String code;

    FailureClass(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The classes a spec may name in {@code retryOn}. */
    public static final FailureClass[] RETRYABLE = {NONZERO_EXIT, TIMEOUT, OOM, SANDBOX_LOST};

    public static Optional<FailureClass> ofCode(String code) {
        return Arrays.stream(values()).filter(f -> f.code.equals(code)).findFirst();
    }
}
