package io.drover.sandbox.process;

import io.drover.sandbox.process.launch.SandboxUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A sandbox's directories on the host. upper and work belong to the overlay; merged is what the
 * sandbox sees as /workspace; tmp is its private /tmp. upper, work and tmp (everything the sandbox
 * writes) are under disk, where its size-limited file system is mounted when it has one. The
 * directory itself is searchable but not readable by others, because bubblewrap resolves the binds
 * as the (unprivileged) sandbox user.
 */
record SandboxDirs(Path dir) {
    /** The sparse image of the sandbox's file system, when it has a disk limit. */
    static final String IMAGE = "disk.img";
    static final String DISK = "disk";

    Path disk() {
        return dir.resolve(DISK);
    }

    Path image() {
        return dir.resolve(IMAGE);
    }

    Path upper() {
        return disk().resolve("upper");
    }

    Path work() {
        return disk().resolve("work");
    }

    Path merged() {
        return dir.resolve("merged");
    }

    Path tmp() {
        return disk().resolve("tmp");
    }

    Path argsFile(long sequence) {
        return dir.resolve("exec-" + sequence + ".args");
    }

    /** The sandbox's directory and the (empty) mount point of its disk. */
    void create() throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(disk());
    }

    /** The overlay's and /tmp's directories, on the sandbox's disk once that is mounted. */
    void createLayers(SandboxUser user) throws IOException {
        Files.setPosixFilePermissions(disk(), PosixFilePermissions.fromString("rwx--x--x"));
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
