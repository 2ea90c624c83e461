package io.drover.sandbox.containment;

import io.drover.sandbox.microvm.MicroVmProbeTarget;
import io.drover.sandbox.process.ProcessProbeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The containment suite: every probe of {@link Probes} in real sandboxes of each driver, then the
 * table of what held, printed and written to target/containment.md (docs/security.md carries it).
 * Drivers live in fixed roots under /var/tmp/drover-containment so that the next run reclaims
 * whatever a killed run left (mounts, cgroups, network namespaces, QEMU processes).
 */
class ContainmentTest {
    static final Path ROOT = Path.of("/var/tmp/drover-containment");
    private static HostListeners listeners;

    @BeforeAll
    static void openListeners() throws IOException {
        removeCanariesOfKilledRuns();
        listeners = new HostListeners();
    }

    /** Canaries a probe writes are removed by it; a run killed midway leaves them to this. */
    private static void removeCanariesOfKilledRuns() throws IOException {
        for (Path dir : List.of(Path.of("/root"), Path.of("/tmp"), Path.of("/"), Path.of("/usr"))) {
            try (var files = Files.newDirectoryStream(dir, "drover-{canary,probe}-*")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @AfterAll
    static void printTable() throws IOException {
        listeners.close();
        String table = ContainmentTable.render(List.of("process", "microvm"));
        System.out.println("\nContainment suite\n\n" + table);
        Path out = Path.of("target", "containment.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        try (var left = Files.list(ROOT)) {
            if (left.findAny().isEmpty()) {
                Files.delete(ROOT);
            }
        }
    }

    static HostListeners listeners() {
        return listeners;
    }

    @Nested
    class OnTheProcessDriver extends Probes {
        @Override
        protected ProbeTarget createTarget(HostListeners listeners) {
            return new ProcessProbeTarget(ROOT.resolve("process"), listeners.gateway().port());
        }
    }

    @Nested
    class OnTheMicroVmDriver extends Probes {
        @Override
        protected ProbeTarget createTarget(HostListeners listeners) throws Exception {
            return new MicroVmProbeTarget(ROOT.resolve("microvm"));
        }
    }
}
