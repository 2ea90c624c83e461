package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void a_memory_hog_is_killed_at_its_limit_and_reported_as_oom() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), new Resources(64, 1.0, 64));

        var output = run(driver, sandbox, "head -c 600M /dev/zero | tail");
        assertThat(output.result().termination()).isEqualTo(Termination.OOM_KILLED);
        assertThat(output.result().succeeded()).isFalse();
        assertThat(driver.usage(sandbox).memoryPeakBytes().orElseThrow()).isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    @Test
    void a_command_within_its_memory_limit_is_not_reported_as_oom() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), new Resources(64, 1.0, 64));

        var output = run(driver, sandbox, "head -c 10M /dev/zero | tail | wc -c");
        assertThat(output.result().termination()).isEqualTo(Termination.EXITED);
        assertThat(output.stdout()).isEqualTo("10485760\n");
    }

    @Test
    void a_fork_bomb_is_contained_by_the_process_limit_and_the_host_survives() throws Exception {
        int limit = 32;
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), new Resources(256, 1.0, limit));

        var output = run(driver, sandbox, "bomb() { bomb | bomb & }; bomb; sleep 2", Duration.ofSeconds(30));
        assertThat(output.stderr()).contains("Resource temporarily unavailable");
        assertThat(maxProcessesSeen((ProcessSandbox) sandbox)).isLessThanOrEqualTo(limit);
        // The sandbox still works once the bomb is gone, and so does the host.
        assertThat(run(driver, sandbox, "echo alive").stdout()).isEqualTo("alive\n");
        assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
    }

    /** The kernel counts forks refused at the limit; a positive count shows the limit, not luck, stopped the bomb. */
    private static long maxProcessesSeen(ProcessSandbox sandbox) throws Exception {
        java.nio.file.Path pids = sandbox.cgroup().directories().stream()
                .filter(d -> java.nio.file.Files.exists(d.resolve("pids.events"))).findFirst().orElseThrow();
        assertThat(java.nio.file.Files.readString(pids.resolve("pids.events"))).matches("(?s)max [1-9].*");
        return Long.parseLong(java.nio.file.Files.readString(pids.resolve("pids.peak")).strip());
    }
}
