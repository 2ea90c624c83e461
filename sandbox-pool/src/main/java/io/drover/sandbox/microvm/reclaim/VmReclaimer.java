package io.drover.sandbox.microvm.reclaim;

import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims what crashed microvm drivers left: their QEMU processes (found by each VM directory's
 * pid file, and only killed when that process still runs in that directory), sockets, overlays
 * and saved states. Only owners whose process is gone are touched: several drivers share a host.
 */
public final class VmReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(VmReclaimer.class);

    private VmReclaimer() {
    }

    /**
     * Removes every directory under {@code parent} whose owner (as {@code ownerOf} reads it from
     * the name) is dead, killing the QEMU processes in it first. Returns how many were removed.
     */
    public static int reclaim(Path parent, Function<String, Optional<String>> ownerOf) {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        int removed = 0;
        for (Path dir : list(parent)) {
            Optional<Owner> owner = ownerOf.apply(dir.getFileName().toString()).flatMap(Owner::parse);
            if (owner.isEmpty() || owner.get().isAlive()) {
                continue;
            }
            try {
                int killed = killQemuUnder(dir);
                delete(dir);
                removed++;
                LOG.info("Reclaimed {} of dead microvm driver {}: {} QEMU processes killed", dir, owner.get().name(),
                        killed);
            } catch (RuntimeException e) {
                LOG.warn("Could not reclaim {}: {}; the next start tries again", dir, e.getMessage());
            }
        }
        return removed;
    }

    /** Kills the QEMU of {@code dir} and of each directory in it, by pid file and working directory. */
    private static int killQemuUnder(Path dir) {
        int killed = 0;
        List<Path> candidates = new ArrayList<>(list(dir));
        candidates.add(dir);
        for (Path vmDir : candidates) {
            Path pidFile = vmDir.resolve("qemu.pid");
            if (!Files.isRegularFile(pidFile)) {
                continue;
            }
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
                if (!cwd.equals(vmDir.toAbsolutePath().normalize())) {
                    continue; // the pid was reused by another process
                }
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                if (process.isPresent()) {
                    process.get().destroyForcibly();
                    process.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    killed++;
                }
            } catch (IOException | NumberFormatException e) {
                // no such process any more, or not ours to read
            } catch (Exception e) {
                LOG.warn("QEMU of {} did not die: {}", vmDir, e.getMessage());
            }
        }
        return killed;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
