package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadFileTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void a_file_the_sandbox_wrote_is_read_from_the_host_up_to_the_limit() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        run(driver, sandbox, "mkdir -p /workspace/.drover && printf 'one\\ntwo\\n' >> /workspace/.drover/usage.jsonl");

        assertThat(driver.readFile(sandbox, "/workspace/.drover/usage.jsonl", 1024))
                .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n"));
        assertThat(driver.readFile(sandbox, "/workspace/.drover/usage.jsonl", 3))
                .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("one"));
        assertThat(driver.readFile(sandbox, "/workspace/missing.jsonl", 1024)).isEmpty();
    }

    @Test
    void links_planted_by_the_sandbox_are_not_followed_to_host_files() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);
        run(driver, sandbox, "ln -s /etc/hostname /workspace/usage.jsonl && ln -s /etc /workspace/dir");

        assertThat(driver.readFile(sandbox, "/workspace/usage.jsonl", 1024)).isEmpty();
        assertThat(driver.readFile(sandbox, "/workspace/dir/hostname", 1024)).isEmpty();
    }

    @Test
    void paths_outside_the_workspace_are_refused() throws Exception {
        Sandbox sandbox = DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT);

        assertThatThrownBy(() -> driver.readFile(sandbox, "/etc/passwd", 1024)).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> driver.readFile(sandbox, "/workspace/../etc/passwd", 1024))
                .isInstanceOf(SandboxException.class);
        driver.destroy(sandbox);
        assertThatThrownBy(() -> driver.readFile(sandbox, "/workspace/x", 1024)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("before release");
    }
}
