package io.drover.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.microvm.guest.FirstUseGuest;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Drivers in a temporary root with small (256 MiB) VMs, and the proof that they left nothing
 * behind once closed: no QEMU process running in the root, no VM directory. The guest image is
 * built once into ~/.cache/drover/microvm/guest (or {@code -Ddrover.microvm.guest=DIR}).
 */
final class VmFixture implements AutoCloseable {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");

    final Path root;
    private final List<MicroVmDriver> drivers = new ArrayList<>();

    VmFixture() {
        try {
            root = Files.createTempDirectory("drover-mv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MicroVmSettings settings() {
        Path guest = Path.of(System.getProperty("drover.microvm.guest", MicroVmSettings.defaultGuestDir().toString()));
        return MicroVmSettings.defaults(root).withGuest(guest, true).withMemoryMb(256);
    }

    MicroVmDriver driver() throws SandboxException {
        return track(new MicroVmDriver(settings()));
    }

    MicroVmDriver driver(Owner owner) throws SandboxException {
        return track(new MicroVmDriver(settings(), owner));
    }

    /** A driver whose guest image lives in {@code guestDir}, built there on first use by {@code builder}. */
    MicroVmDriver driver(Path guestDir, FirstUseGuest.Builder builder) throws SandboxException {
        return track(new MicroVmDriver(settings().withGuest(guestDir, true), Owner.current(), builder));
    }

    MicroVmDriver track(MicroVmDriver driver) {
        drivers.add(driver);
        return driver;
    }

    static Output run(MicroVmDriver driver, Sandbox sandbox, String script) throws Exception {
        return run(driver, sandbox, script, Duration.ofSeconds(60));
    }

    static Output run(MicroVmDriver driver, Sandbox sandbox, String script, Duration timeout) throws Exception {
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

    /** QEMU processes whose working directory is under {@code dir}. */
    static List<ProcessHandle> qemuUnder(Path dir) {
        Path real = dir.toAbsolutePath().normalize();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().orElse("").contains("qemu-system")).filter(p -> {
                try {
                    return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(real);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    /** Closes every driver, then checks that no QEMU process, socket, overlay or VM directory is left. */
    @Override
    public void close() {
        drivers.forEach(MicroVmDriver::close);
        assertThat(qemuUnder(root)).isEmpty();
        assertThat(root.resolve("vms")).isEmptyDirectory();
        VmFiles.deleteTree(root);
    }
}
