package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A data directory under /root (mode 0700) is the default for a root-run Drover. */
class ClosedRootTest {
    private final Path closed;
    private final DriverFixture fixture;

    ClosedRootTest() throws Exception {
        closed = Files.createTempDirectory("drover-closed",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        fixture = new DriverFixture(closed.resolve("sandboxes"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        fixture.close();
        Files.deleteIfExists(closed);
    }

    @Test
    void a_root_below_a_directory_the_sandbox_user_cannot_search_still_works_and_stays_isolated() throws Exception {
        Path hostFile = Files.writeString(Files.createTempFile("drover-host", ".txt"), "host");
        try {
            ProcessDriver driver = fixture.driver();
            Sandbox first = DriverFixture.cloneOf(driver,
                    new BaseSpec("host", List.of("echo from setup > /workspace/base-file"), Map.of()), Resources.DEFAULT);
            Sandbox second = DriverFixture.cloneOf(driver,
                    new BaseSpec("host", List.of("echo from setup > /workspace/base-file"), Map.of()), Resources.DEFAULT);

            var output = run(driver, first, "cat base-file; echo mine > /tmp/t; cat /tmp/t; ls /tmp; cat " + hostFile);
            assertThat(output.stdout()).isEqualTo("from setup\nmine\nt\n");
            assertThat(output.stderr()).contains("No such file or directory");
            assertThat(run(driver, second, "ls /tmp /workspace").stdout()).isEqualTo("/tmp:\n\n/workspace:\nbase-file\n");
        } finally {
            Files.deleteIfExists(hostFile);
        }
    }
}
