package io.drover.sandbox.process;

import io.drover.sandbox.process.launch.SandboxUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A sandbox's directories on the host. upper and work belong to the overlay; merged is what the
 * sandbox sees as /workspace; tmp is its private /tmp. The directory itself is searchable but not
 * readable by others, because bubblewrap resolves the binds as the (unprivileged) sandbox user.
 */
record SandboxDirs(Path dir) {
    Path upper() {
        return dir.resolve("upper");
    }

    Path work() {
        return dir.resolve("work");
    }

    Path merged() {
        return dir.resolve("merged");
    }

    Path tmp() {
        return dir.resolve("tmp");
    }

    Path argsFile(long sequence) {
        return dir.resolve("exec-" + sequence + ".args");
    }

    void create(SandboxUser user) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(work());
        Files.setPosixFilePermissions(work(), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(merged());
        // Root inside maps to the sandbox user outside: it must own the workspace root and /tmp.
        owned(Files.createDirectories(upper()), user, "rwxr-xr-x");
        owned(Files.createDirectories(tmp()), user, "rwxrwxrwx");
    }

    static Path owned(Path path, SandboxUser user, String permissions) throws IOException {
        Files.setAttribute(path, "unix:uid", user.uid());
        Files.setAttribute(path, "unix:gid", user.gid());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }
}
