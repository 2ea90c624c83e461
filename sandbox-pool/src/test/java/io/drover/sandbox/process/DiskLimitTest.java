package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.process.disk.DiskLimit;
import io.drover.sandbox.process.disk.LoopDevices;
import io.drover.sandbox.process.overlay.OverlayMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class DiskLimitTest {
    private static final long MIB = 1024 * 1024;
    private static final int LIMIT_MB = 64;
    /** ext4's own blocks and the last partial write. */
    private static final long SLACK = 4 * MIB;

    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    private Sandbox limited() throws Exception {
        return DriverFixture.cloneOf(driver, BaseSpec.of("host"), new Resources(256, 1.0, 64).withDiskMb(LIMIT_MB));
    }

    @Test
    void a_write_past_the_limit_to_the_workspace_fails_with_no_space_and_is_reported_as_disk_full() throws Exception {
        Sandbox sandbox = limited();
        long hostFreeBefore = Files.getFileStore(fixture.root).getUsableSpace();

        var output = run(driver, sandbox, "dd if=/dev/zero of=/workspace/big bs=1M count=200");

        assertThat(output.stderr()).contains("No space left on device");
        assertThat(output.result().termination()).isEqualTo(Termination.DISK_FULL);
        long written = Long.parseLong(run(driver, sandbox, "stat -c %s /workspace/big").stdout().strip());
        assertThat(written).isGreaterThan((LIMIT_MB - 8) * MIB).isLessThanOrEqualTo(LIMIT_MB * MIB);
        assertThat(driver.usage(sandbox).diskBytes().orElseThrow()).isLessThanOrEqualTo(LIMIT_MB * MIB + SLACK);
        // The host paid for what was written, not for the 200 MB asked for (other builds share this disk: loose bound).
        assertThat(allocatedBytes(((ProcessSandbox) sandbox).dirs().image())).isLessThanOrEqualTo(LIMIT_MB * MIB + SLACK);
        assertThat(hostFreeBefore - Files.getFileStore(fixture.root).getUsableSpace()).isLessThan(150 * MIB);
    }

    @Test
    void tmp_shares_the_limit_with_the_workspace() throws Exception {
        Sandbox sandbox = limited();

        assertThat(run(driver, sandbox, "dd if=/dev/zero of=/workspace/half bs=1M count=40 status=none")
                .result().succeeded()).isTrue();
        var output = run(driver, sandbox, "dd if=/dev/zero of=/tmp/rest bs=1M count=200");

        assertThat(output.stderr()).contains("No space left on device");
        assertThat(output.result().termination()).isEqualTo(Termination.DISK_FULL);
        long tmp = Long.parseLong(run(driver, sandbox, "stat -c %s /tmp/rest").stdout().strip());
        assertThat(40 * MIB + tmp).isLessThanOrEqualTo(LIMIT_MB * MIB);
    }

    @Test
    void a_full_sandbox_leaves_another_sandbox_free_to_write() throws Exception {
        Sandbox full = limited();
        Sandbox other = limited();

        assertThat(run(driver, full, "dd if=/dev/zero of=big bs=1M count=200").result().termination())
                .isEqualTo(Termination.DISK_FULL);
        var output = run(driver, other, "dd if=/dev/zero of=data bs=1M count=32 status=none && stat -c %s data");

        assertThat(output.result().succeeded()).isTrue();
        assertThat(output.stdout()).isEqualTo(32 * MIB + "\n");
    }

    @Test
    void a_command_that_fails_for_another_reason_is_not_reported_as_disk_full() throws Exception {
        Sandbox sandbox = limited();

        var output = run(driver, sandbox, "echo small > file; exit 3");

        assertThat(output.result().termination()).isEqualTo(Termination.EXITED);
        assertThat(output.result().exitCode()).isEqualTo(3);
    }

    @Test
    void destroy_leaves_no_loop_device_mount_or_image() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) limited();
        run(driver, sandbox, "dd if=/dev/zero of=big bs=1M count=200");
        Path image = sandbox.dirs().image();
        assertThat(LoopDevices.of(image)).hasSize(1);

        driver.destroy(sandbox);

        await().atMost(Duration.ofSeconds(10)).until(() -> LoopDevices.of(image).isEmpty());
        assertThat(losetupAll()).doesNotContain(fixture.root.toString());
        assertThat(OverlayMount.mountPointsUnder(fixture.root)).isEmpty();
        assertThat(image).doesNotExist();
        assertThat(driver.usage(sandbox).diskBytes().orElseThrow()).isGreaterThan((LIMIT_MB - 8) * MIB);
    }

    @Test
    void with_the_limit_off_a_sandbox_writes_past_its_disk_mb() throws Exception {
        ProcessDriver unlimited = fixture.driver(ProcessDriverSettings.defaults(fixture.root)
                .withDiskLimit(DiskLimit.NONE, ProcessDriverSettings.DEFAULT_DISK_MB));
        Sandbox sandbox = DriverFixture.cloneOf(unlimited, BaseSpec.of("host"),
                new Resources(256, 1.0, 64).withDiskMb(16));

        var output = run(unlimited, sandbox, "dd if=/dev/zero of=big bs=1M count=32 status=none && stat -c %s big");

        assertThat(output.stdout()).isEqualTo(32 * MIB + "\n");
        assertThat(((ProcessSandbox) sandbox).dirs().image()).doesNotExist();
    }

    static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] f = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    static String losetupAll() throws Exception {
        Process losetup = new ProcessBuilder("losetup", "-a").redirectErrorStream(true).start();
        String out = new String(losetup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        losetup.waitFor();
        return out;
    }
}
