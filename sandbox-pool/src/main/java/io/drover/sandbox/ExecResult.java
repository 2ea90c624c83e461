package io.drover.sandbox;

import java.time.Duration;

/** How a command ended. {@code exitCode} is the shell's, or 128+signal when it was killed. */
public record ExecResult(int exitCode, Termination termination, Duration wallTime) {

    public enum Termination {
        EXITED,
        TIMED_OUT,
        KILLED,
        /** The sandbox's memory limit was hit and the kernel killed a process of the command. */
        OOM_KILLED,
        /**
         * The command failed while the sandbox's disk limit was reached: a write got ENOSPC (or
         * EDQUOT). Running it again in the same limit fails the same way.
         */
        DISK_FULL
    }

    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }
}
