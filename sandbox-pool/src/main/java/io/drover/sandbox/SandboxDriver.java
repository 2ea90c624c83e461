package io.drover.sandbox;

import java.util.Optional;

/**
 * What Drover needs from a sandbox technology. A driver prepares base snapshots (the setup, paid
 * once per distinct {@link BaseSpec}), clones sandboxes from them, runs commands inside, parks
 * idle sandboxes in standby and meters what they used. Implementations must be thread-safe.
 */
public interface SandboxDriver extends AutoCloseable {

    /** The name a spec selects this driver by, e.g. {@code process}. */
    String name();

    /** Whether {@link #prepareBase} runs {@link BaseSpec#setup()} commands; otherwise it rejects them. */
    default boolean supportsSetup() {
        return false;
    }

    /**
     * Whether {@link #prepareBase} gives setup commands {@link BaseSpec#setupSecrets()} and keeps
     * their values out of the base; otherwise it refuses them.
     */
    default boolean supportsSetupSecrets() {
        return false;
    }

    /** Whether sandboxes get the network of their {@link NetworkPolicy}; otherwise they have none at all. */
    default boolean supportsNetwork() {
        return false;
    }

    /**
     * Returns the base for {@code spec}, building it first if needed. Idempotent per {@link BaseSpec#hash()}.
     *
     * @throws BaseSetupFailed when a setup command fails; nothing is cached, a later call retries
     */
    BaseSnapshot prepareBase(BaseSpec spec) throws SandboxException;

    /** A new sandbox whose files start as the base's; nothing it writes is seen by any other sandbox. */
    Sandbox clone(BaseSnapshot base, Resources resources) throws SandboxException;

    /** Its bases as layers that nodes can send each other, when its bases are plain directory trees. */
    default Optional<BaseLayers> layers() {
        return Optional.empty();
    }

    /** Starts {@code command} in the sandbox, resuming it first if it is in standby. */
    Execution exec(Sandbox sandbox, Command command) throws SandboxException;

    /** Stops the sandbox's compute; its files and processes stay as they are. */
    void standby(Sandbox sandbox) throws SandboxException;

    void resume(Sandbox sandbox) throws SandboxException;

    /** Kills everything running in the sandbox and removes what it owned. Safe to call twice. */
    void destroy(Sandbox sandbox);

    Usage usage(Sandbox sandbox);

    /**
     * Removes the base's files, so that the next {@link #prepareBase} of its spec builds it again.
     * The caller guarantees that no sandbox of this driver is cloned from it and that no build of
     * it runs (garbage collection holds the base's build lock and asks the pool first). Drivers
     * that keep no files per base have nothing to do. Returns the bytes freed.
     */
    default long deleteBase(String hash) throws SandboxException {
        return 0;
    }

    /**
     * Reads a file the sandbox wrote under /workspace, from the host, without running anything
     * inside: at most {@code maxBytes} bytes of it, empty when there is no such regular file (or
     * the driver cannot read files). Symbolic links are never followed, so a sandbox cannot make
     * Drover read a host file. Call it while the sandbox lives: destroy removes its files.
     *
     * @param path absolute, inside the sandbox, under {@code /workspace/}
     */
    default Optional<byte[]> readFile(Sandbox sandbox, String path, long maxBytes) throws SandboxException {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
