package io.drover.persistence.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Drover process killed with SIGKILL leaves its embedded PostgreSQL running on the data
 * directory, which would make the next start fail. That server is an orphan of ours: stop it.
 */
final class StalePostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    static void stopIfRunning(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : parse(lines.get(0)).flatMap(ProcessHandle::of);
        if (postmaster.isEmpty() || !isPostgres(postmaster.get())) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warn("Reclaiming orphaned embedded PostgreSQL (pid {}) left running on {} by a previous Drover process",
                process.pid(), dataDirectory);
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown, then a forced kill if it lingers
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            sleep();
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("postgres")).orElse(false);
    }

    private static Optional<Long> parse(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
