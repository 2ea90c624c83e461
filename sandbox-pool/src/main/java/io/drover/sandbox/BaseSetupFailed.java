package io.drover.sandbox;

/** A setup command of a base exited non-zero; no base was kept, so the next prepare runs setup again. */
public final class BaseSetupFailed extends SandboxException {
    private final int exitCode;
    private final String logTail;

    public BaseSetupFailed(String step, int exitCode, String logTail) {
        super("setup step '" + step + "' exited with " + exitCode + "; fix the step or its environment."
                + " Last output:\n" + logTail);
        this.exitCode = exitCode;
        this.logTail = logTail;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The end of the setup's combined output. */
    public String logTail() {
        return logTail;
    }
}
