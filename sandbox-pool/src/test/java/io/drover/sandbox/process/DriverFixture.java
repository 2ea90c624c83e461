package io.drover.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.process.cgroup.CgroupLayout;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A driver in a temporary root, and the proof that it left nothing behind once closed. */
final class DriverFixture implements AutoCloseable {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

    final Path root;
    private final List<ProcessDriver> drivers = new ArrayList<>();

    DriverFixture() {
        try {
            root = Files.createTempDirectory("drover-sandbox-test",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A driver rooted at {@code root}, which this fixture removes on close. */
    DriverFixture(Path root) {
        this.root = root;
    }

    ProcessDriver driver() {
        return track(new ProcessDriver(ProcessDriverSettings.defaults(root)));
    }

    ProcessDriver driver(ProcessDriverSettings settings) {
        return track(new ProcessDriver(settings));
    }

    ProcessDriver driver(Owner owner) {
        return track(new ProcessDriver(ProcessDriverSettings.defaults(root), owner, CgroupLayout.detect()));
    }

    private ProcessDriver track(ProcessDriver driver) {
        drivers.add(driver);
        return driver;
    }

    static Sandbox cloneOf(ProcessDriver driver, BaseSpec spec, Resources resources) throws SandboxException {
        BaseSnapshot base = driver.prepareBase(spec);
        return driver.clone(base, resources);
    }

    static Output run(ProcessDriver driver, Sandbox sandbox, String script) throws Exception {
        return run(driver, sandbox, script, Duration.ofSeconds(60));
    }

    static Output run(ProcessDriver driver, Sandbox sandbox, String script, Duration timeout) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecResult result = driver.exec(sandbox, new Command(script, ENV, timeout, sink(out), sink(err))).await();
        return new Output(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static OutputSink sink(ByteArrayOutputStream buffer) {
        return (b, o, l) -> {
            synchronized (buffer) {
                buffer.write(b, o, l);
            }
        };
    }

    record Output(ExecResult result, String stdout, String stderr) {
    }

    /** Closes every driver, then checks that no mount, cgroup or directory of theirs is left. */
    @Override
    public void close() {
        CgroupLayout layout = CgroupLayout.detect();
        for (ProcessDriver driver : drivers) {
            driver.close();
            for (Path hierarchy : layout.hierarchies()) {
                assertThat(hierarchy.resolve("drover").resolve(driver.owner().name())).doesNotExist();
            }
        }
        assertThat(OverlayMount.mountPointsUnder(root)).isEmpty();
        assertThat(root.resolve("sandboxes")).isEmptyDirectory();
        Trees.delete(root);
    }
}
