package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StandbyTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    private Duration cpu(Sandbox sandbox) {
        return driver.usage(sandbox).cpuTime().orElseThrow();
    }

    @Test
    void a_frozen_sandbox_accumulates_no_cpu_time_and_resumes_with_its_files_and_process_intact() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        Execution busy = driver.exec(sandbox, new Command("echo before > state; while :; do :; done",
                DriverFixture.ENV, Duration.ofMinutes(5), OutputSink.DISCARD, OutputSink.DISCARD));
        await().atMost(Duration.ofSeconds(10)).until(() -> cpu(sandbox).toMillis() > 200);

        driver.standby(sandbox);
        assertThat(sandbox.state()).isEqualTo(SandboxState.STANDBY);
        Duration frozenAt = cpu(sandbox);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(cpu(sandbox)).isEqualTo(frozenAt);
        assertThat(driver.usage(sandbox).standbyTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        driver.resume(sandbox);
        await().atMost(Duration.ofSeconds(10)).until(() -> cpu(sandbox).compareTo(frozenAt.plusMillis(100)) > 0);
        assertThat(sandbox.state()).isEqualTo(SandboxState.ACTIVE);
        assertThat(run(driver, sandbox, "cat state").stdout()).isEqualTo("before\n");
        busy.kill();
        assertThat(busy.await().termination()).isEqualTo(Termination.KILLED);
    }

    @Test
    void a_command_started_in_standby_resumes_the_sandbox_first() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        driver.standby(sandbox);

        assertThat(run(driver, sandbox, "echo awake").stdout()).isEqualTo("awake\n");
        assertThat(sandbox.state()).isEqualTo(SandboxState.WARM);
    }

    @Test
    void a_timeout_kills_a_command_even_while_its_sandbox_is_in_standby() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        Execution sleeping = driver.exec(sandbox, new Command("sleep 600", DriverFixture.ENV, Duration.ofMillis(500),
                OutputSink.DISCARD, OutputSink.DISCARD));
        driver.standby(sandbox);

        assertThat(sleeping.await().termination()).isEqualTo(Termination.TIMED_OUT);
    }
}
