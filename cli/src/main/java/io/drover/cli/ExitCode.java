package io.drover.cli;

/**
 * What the {@code drover} command's exit status means; docs/cli.md lists the same table. A job's
 * end decides it for {@code submit --wait}; any command's failure to talk to the server decides it
 * otherwise.
 */
public final class ExitCode {
    /** Done; for {@code submit --wait}, the job SUCCEEDED. */
    public static final int OK = 0;
    /** The job ended FAILED, CANCELLED or BUDGET_EXCEEDED (or a followed subtask did not succeed). */
    public static final int JOB_FAILED = 1;
    /** Bad command line (picocli's usage error), or a spec file that cannot be read. */
    public static final int USAGE = 2;
    /** The server cannot be reached, or refused the token (401, 403). */
    public static final int UNREACHABLE_OR_UNAUTHORIZED = 3;
    /** The server refused the request (any other 4xx, e.g. 400 invalid-spec, 404, 409) or failed it (5xx). */
    public static final int REFUSED = 4;

    private ExitCode() {
    }
}
