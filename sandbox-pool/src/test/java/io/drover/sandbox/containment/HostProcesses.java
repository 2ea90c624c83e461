package io.drover.sandbox.containment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the host's /proc shows, read from the test's side: processes by a marker in their argv, and how many run. */
final class HostProcesses {
    private HostProcesses() {
    }

    /** Pids of host processes whose command line contains {@code marker}. */
    static List<Long> withArgument(String marker) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker)) {
                        found.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException exitedMeanwhile) {
                    // gone
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /** Waits up to {@code patience} for no host process to carry {@code marker}; returns those still there. */
    static List<Long> awaitNoneWith(String marker, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<Long> left = withArgument(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = withArgument(marker);
        }
        return left;
    }

    /**
     * Waits up to {@code patience} for {@code pids} to end; returns those left, each with its
     * /proc/PID/stat line (state and parent) to tell a leak from a zombie not yet reaped.
     */
    static java.util.Map<Long, String> awaitGone(List<Long> pids, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        java.util.Map<Long, String> left = alive(pids);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = alive(pids);
        }
        return left;
    }

    private static java.util.Map<Long, String> alive(List<Long> pids) {
        java.util.Map<Long, String> left = new java.util.TreeMap<>();
        for (long pid : pids) {
            try {
                left.put(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat")).strip());
            } catch (IOException gone) {
                // ended
            }
        }
        return left;
    }

    static long count() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.count();
        }
    }

    /** A host process, {@code sleep} under the argv[0] {@code marker}, for probes to look for and signal. */
    static Process sleeper(String marker, int seconds) throws IOException {
        return new ProcessBuilder("bash", "-c", "exec -a " + marker + " sleep " + seconds)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A pattern grep matches against {@code marker} that does not itself contain it: {@code abc[d]}. */
    static String unselfish(String marker) {
        int last = marker.length() - 1;
        return marker.substring(0, last) + "[" + marker.charAt(last) + "]";
    }
}
