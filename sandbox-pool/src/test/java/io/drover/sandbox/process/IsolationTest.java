package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IsolationTest {
    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    private Sandbox cloneWithBase() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("echo original > /workspace/shared"), Map.of());
        return DriverFixture.cloneOf(driver, spec, Resources.DEFAULT);
    }

    @Test
    void a_clone_cannot_see_a_file_written_by_another_clone() throws Exception {
        Sandbox writer = cloneWithBase();
        Sandbox reader = cloneWithBase();

        assertThat(run(driver, writer, "echo mine > private && cat private").stdout()).isEqualTo("mine\n");
        assertThat(run(driver, reader, "ls /workspace").stdout()).isEqualTo("shared\n");
    }

    @Test
    void a_clone_cannot_change_the_base() throws Exception {
        Sandbox writer = cloneWithBase();
        Sandbox reader = cloneWithBase();

        assertThat(run(driver, writer, "echo changed > shared; rm -f shared; echo again > shared; cat shared").stdout())
                .isEqualTo("again\n");
        assertThat(run(driver, reader, "cat shared").stdout()).isEqualTo("original\n");
        assertThat(Files.readString(writer.base().location().resolve("shared"))).isEqualTo("original\n");
    }

    @Test
    void a_sandbox_cannot_read_host_files_outside_its_view() throws Exception {
        Path inRoot = Path.of("/root", "drover-secret-" + UUID.randomUUID());
        Path inTmp = Files.createTempFile("drover-secret", ".txt");
        try {
            Files.writeString(inRoot, "secret");
            Files.writeString(inTmp, "secret");
            Sandbox sandbox = cloneWithBase();

            var output = run(driver, sandbox, "cat " + inRoot + " " + inTmp + " /etc/shadow; ls /home /root");
            assertThat(output.result().exitCode()).isNotZero();
            assertThat(output.stdout()).doesNotContain("secret");
            assertThat(output.stderr()).contains("No such file or directory");
        } finally {
            Files.deleteIfExists(inRoot);
            Files.deleteIfExists(inTmp);
        }
    }

    @Test
    void a_sandbox_cannot_connect_to_a_port_on_the_host_loopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(200);
            Sandbox sandbox = cloneWithBase();

            var output = run(driver, sandbox, "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected");
            assertThat(output.stdout()).doesNotContain("connected");
            assertThat(output.stderr()).contains("Connection refused");
            try {
                server.accept().close();
                throw new AssertionError("the sandbox reached the host's loopback");
            } catch (SocketTimeoutException expected) {
                // nobody connected
            }
        }
    }

    @Test
    void root_inside_is_an_unprivileged_user_outside_with_no_capabilities() throws Exception {
        Sandbox sandbox = cloneWithBase();

        var output = run(driver, sandbox, "id -u; grep CapEff /proc/self/status; touch made-here; touch /usr/x");
        assertThat(output.stdout()).isEqualTo("0\nCapEff:\t0000000000000000\n");
        assertThat(output.stderr()).contains("Read-only file system");
        Path made = fixture.root.resolve("sandboxes").resolve(driver.owner().name()).resolve(sandbox.id())
                .resolve("disk").resolve("upper").resolve("made-here");
        assertThat(Files.getAttribute(made, "unix:uid")).isEqualTo(driver.settings().user().uid());
    }

    @Test
    void a_command_sees_only_its_own_environment_and_processes() throws Exception {
        Sandbox sandbox = cloneWithBase();

        var output = run(driver, sandbox, "env | sort | grep -v '^_=\\|^PWD=\\|^SHLVL='; ps -e --no-headers | wc -l");
        assertThat(output.stdout()).isEqualTo("HOME=/workspace\nLANG=C.UTF-8\nPATH=/usr/bin:/bin\n4\n");
    }
}
