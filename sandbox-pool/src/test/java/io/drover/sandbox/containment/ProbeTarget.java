package io.drover.sandbox.containment;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One real driver as the containment probes see it: sandboxes of one base, commands in them, and
 * the few host-side facts a probe checks (which host processes and cgroups a sandbox is made of).
 */
public interface ProbeTarget extends AutoCloseable {
    /** Both drivers' tools: GNU coreutils under /usr/bin for the process driver, busybox in the guest. */
    Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");
    BaseSpec SPEC = new BaseSpec("host", List.of("echo base > /workspace/from-base"), Map.of());

    enum Kind { PROCESS, MICROVM }

    Kind kind();

    SandboxDriver driver();

    /** The base every probe's sandboxes are cloned from, prepared once. */
    BaseSnapshot base() throws SandboxException;

    /** The host processes the sandbox consists of now: its cgroup's members, or its QEMU process. */
    List<Long> hostPids(Sandbox sandbox);

    /** Host cgroup directories that hold the sandbox's limits (none for the microvm driver). */
    List<Path> cgroupDirs(Sandbox sandbox);

    /** The most processes the sandbox ever had, as its host cgroup counted them; empty when nothing counts. */
    OptionalLong processPeak(Sandbox sandbox);

    /** A directory of the driver's own on the host, beside the sandboxes' files. */
    Path root();

    default String name() {
        return driver().name();
    }

    default Sandbox open(Resources resources) throws SandboxException {
        return driver().clone(base(), resources);
    }

    default Ran run(Sandbox sandbox, String script, Duration timeout) throws SandboxException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecResult result = driver().exec(sandbox, new Command(script, ENV, timeout, sink(out), sink(err))).await();
        return new Ran(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    default Ran run(Sandbox sandbox, String script) throws SandboxException, InterruptedException {
        return run(sandbox, script, Duration.ofSeconds(60));
    }

    default Execution start(Sandbox sandbox, String script, Duration timeout) throws SandboxException {
        return driver().exec(sandbox, new Command(script, ENV, timeout, OutputSink.DISCARD, OutputSink.DISCARD));
    }

    default void destroy(Sandbox sandbox) {
        driver().destroy(sandbox);
    }

    /** Closes the driver and checks that nothing of it is left on the host. */
    @Override
    void close();

    private static OutputSink sink(ByteArrayOutputStream buffer) {
        return (b, o, l) -> {
            synchronized (buffer) {
                buffer.write(b, o, l);
            }
        };
    }

    record Ran(ExecResult result, String stdout, String stderr) {
        /** Both streams, for assertion messages. */
        public String both() {
            return "exit " + result.exitCode() + " " + result.termination() + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }
}
