package io.drover.sandbox;

/** A command started in a sandbox. */
public interface Execution {

    /** Waits for the command to end, by itself, by its timeout, or by {@link #kill()}. */
    ExecResult await() throws InterruptedException;

    /** Kills the command and every process it started; {@link #await()} then reports KILLED. */
    void kill();
}
