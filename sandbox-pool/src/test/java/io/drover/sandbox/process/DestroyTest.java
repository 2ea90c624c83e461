package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.process.overlay.OverlayMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DestroyTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void destroy_leaves_no_mount_cgroup_process_or_directory() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        Execution running = driver.exec(sandbox, new Command("sleep 600 & sleep 600", DriverFixture.ENV,
                Duration.ofMinutes(5), OutputSink.DISCARD, OutputSink.DISCARD));
        await().until(() -> sandbox.cgroup().pids().size() >= 4); // bwrap, its pid 1, and two sleeps
        List<Long> pids = sandbox.cgroup().pids();
        List<Path> cgroups = sandbox.cgroup().directories();
        Path dir = sandbox.dirs().dir();

        driver.destroy(sandbox);
        driver.destroy(sandbox);

        assertThat(running.await().termination()).isEqualTo(Termination.EXITED);
        // Killed processes are reaped by the host's init, a moment later.
        await().until(() -> pids.stream().allMatch(pid -> ProcessHandle.of(pid).isEmpty()));
        assertThat(cgroups).allSatisfy(cgroup -> assertThat(cgroup).doesNotExist());
        assertThat(OverlayMount.isMounted(sandbox.dirs().merged())).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(driver.usage(sandbox).cpuTime()).as("metering survives destroy").isPresent();
        assertThat(driver.usage(sandbox).activeTime()).isPositive();
        assertThatThrownBy(() -> driver.exec(sandbox, new Command("true", DriverFixture.ENV, Duration.ofSeconds(5),
                OutputSink.DISCARD, OutputSink.DISCARD))).isInstanceOf(SandboxException.class);
    }

    @Test
    void a_killed_command_is_reported_killed_and_takes_its_background_processes_with_it() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        Execution running = driver.exec(sandbox, new Command("sleep 600 & sleep 600", DriverFixture.ENV,
                Duration.ofMinutes(5), OutputSink.DISCARD, OutputSink.DISCARD));
        await().until(() -> sandbox.cgroup().pids().size() >= 4);

        running.kill();

        assertThat(running.await().termination()).isEqualTo(Termination.KILLED);
        await().until(() -> sandbox.cgroup().pids().isEmpty());
        assertThat(run(driver, sandbox, "echo still usable").stdout()).isEqualTo("still usable\n");
    }
}
