package io.drover.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void output_and_errors_sent_to_one_sink_keep_their_order() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        OutputSink sink = DriverFixture.sink(both);

        driver.exec(sandbox, new Command("for i in $(seq 100); do echo out $i; echo err $i >&2; done",
                DriverFixture.ENV, Duration.ofMinutes(1), sink, sink)).await();

        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            expected.append("out ").append(i).append("\nerr ").append(i).append('\n');
        }
        assertThat(both.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void a_command_killed_as_soon_as_it_starts_leaves_no_process_behind() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        for (int i = 0; i < 20; i++) {
            Execution execution = driver.exec(sandbox, new Command("sleep 600", DriverFixture.ENV, Duration.ofMinutes(5),
                    OutputSink.DISCARD, OutputSink.DISCARD));
            execution.kill();
            CompletableFuture<ExecResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return execution.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(result::isDone);
            assertThat(result.get().termination()).isEqualTo(Termination.KILLED);
            assertThat(sandbox.cgroup().pids()).isEmpty();
        }
    }
}
