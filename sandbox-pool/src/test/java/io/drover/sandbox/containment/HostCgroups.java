package io.drover.sandbox.containment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A host process's cgroups as the host sees them, for checking that a sandbox changed none. */
final class HostCgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private HostCgroups() {
    }

    /** The contents of /proc/PID/cgroup. */
    static String membership(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directories of every hierarchy (v1 and v2) the process is in. */
    static List<Path> of(long pid) {
        List<Path> dirs = new ArrayList<>();
        for (String line : membership(pid).split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String relative = parts[2].substring(1);
            Path hierarchy;
            if (parts[1].isEmpty()) {
                hierarchy = Files.isDirectory(ROOT.resolve("unified")) ? ROOT.resolve("unified") : ROOT;
            } else {
                hierarchy = ROOT.resolve(parts[1].replace("name=", ""));
            }
            Path dir = relative.isEmpty() ? hierarchy : hierarchy.resolve(relative);
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** Each file's contents now (for cgroup.procs, the member list). */
    static Map<Path, String> read(List<Path> files) {
        Map<Path, String> values = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                values.put(file, Files.readString(file));
            } catch (IOException e) {
                values.put(file, "unreadable: " + e.getMessage());
            }
        }
        return values;
    }
}
