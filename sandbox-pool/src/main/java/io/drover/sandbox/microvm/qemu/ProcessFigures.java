package io.drover.sandbox.microvm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A QEMU process's use of the host, from /proc: CPU time, peak and current resident memory, and
 * private memory. {@code guestPrivateBytes} is the part of the guest RAM mapping that this
 * process holds alone (the pages a clone wrote, copied from the shared memory file);
 * {@code privateBytes} is all its private memory (those pages plus QEMU's own heap and code).
 * Figures that cannot be read (the process is gone) are -1.
 */
public record ProcessFigures(Duration cpuTime, long peakRssBytes, long rssBytes, long privateBytes,
        long guestPrivateBytes) {
    private static final java.util.regex.Pattern MAPPING = java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");
    private static final long CLOCK_TICKS = 100; // USER_HZ on every Linux architecture Drover runs on

    public static final ProcessFigures NONE = new ProcessFigures(Duration.ZERO, -1, -1, -1, -1);

    static ProcessFigures of(long pid, String memoryFileName) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            List<String> status = Files.readAllLines(proc.resolve("status"));
            long hwm = kb(status, "VmHWM:");
            long rss = kb(status, "VmRSS:");
            List<String> rollup = Files.readAllLines(proc.resolve("smaps_rollup"));
            long priv = kb(rollup, "Private_Clean:") + kb(rollup, "Private_Dirty:");
            return new ProcessFigures(Duration.ofMillis(ticks * 1000 / CLOCK_TICKS), hwm, rss, priv,
                    guestPrivate(proc.resolve("smaps"), memoryFileName));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Private_Dirty of the mapping of the guest's memory file: the pages copied on write. */
    private static long guestPrivate(Path smaps, String memoryFileName) throws IOException {
        long total = 0;
        boolean inMapping = false;
        for (String line : Files.readAllLines(smaps)) {
            if (MAPPING.matcher(line).lookingAt()) {
                inMapping = line.endsWith("/" + memoryFileName);
            } else if (inMapping && line.startsWith("Private_Dirty:")) {
                total += parseKb(line);
            }
        }
        return total;
    }

    private static long kb(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).findFirst().map(ProcessFigures::parseKb).orElse(-1L);
    }

    private static long parseKb(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }
}
