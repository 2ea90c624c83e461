package io.drover.sandbox.process.reclaim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who owns a set of sandboxes: one driver instance, named {@code <pid>-<start>-<n>}. The process
 * start time (in clock ticks since boot, from /proc) tells a dead owner from a new process that
 * happens to reuse its pid; {@code n} tells apart drivers of one JVM.
 */
public record Owner(long pid, long startTicks, int instance) {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    public static Owner current() {
        long pid = ProcessHandle.current().pid();
        return new Owner(pid, startTicks(pid).orElse(0L), INSTANCES.incrementAndGet());
    }

    public String name() {
        return pid + "-" + startTicks + "-" + instance;
    }

    /** Parses a directory name; empty when it is not an owner's. */
    public static Optional<Owner> parse(String name) {
        String[] parts = name.split("-");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Owner(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Alive while a process with this pid and this start time runs. */
    public boolean isAlive() {
        return startTicks(pid).map(ticks -> ticks == startTicks).orElse(false);
    }

    static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
