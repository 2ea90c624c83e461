package io.drover.sandbox.process.launch;

/**
 * The host uid and gid that root inside every sandbox maps to. Not root, and not a login user: a
 * process that escaped its namespaces would hold no host privilege. One identity for all sandboxes
 * because base layers are shared: files setup wrote must stay writable (copy-on-write) in every clone.
 */
public record SandboxUser(int uid, int gid) {
    public static final SandboxUser DEFAULT = new SandboxUser(100_000, 100_000);

    public SandboxUser {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("the sandbox user must not be root (uid " + uid + ", gid " + gid + ")");
        }
    }
}
