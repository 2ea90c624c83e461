package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.LlmGateway;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.Usage;
import io.drover.sandbox.process.network.StandIns;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sandbox networking with real namespaces, nftables and pasta. Traffic goes only to loopback,
 * to Maven Central, and to stand-in hosts this test creates in a network namespace of its own.
 */
class NetworkTest {
    private static final String FAILED = "FAILED";
    /** GNU hello from Debian's archive: a real package, small, with a program to run. */
    private static final String HELLO_DEB = "http://deb.debian.org/debian/pool/main/h/hello/hello_2.10-3_amd64.deb";
    private static final String JAR = "https://repo.maven.apache.org/maven2/org/apache/commons/commons-lang3/3.14.0/"
            + "commons-lang3-3.14.0.jar";

    private static StandIns standIns;
    /** Stands in for the LLM gateway, on the host's loopback. */
    private static HttpServer gateway;
    /** Another service on the host's loopback, like PostgreSQL: never reachable from a sandbox. */
    private static HttpServer loopbackService;
    /** A service on every host address, like Drover's HTTP port bound to 0.0.0.0. */
    private static HttpServer hostService;

    private final DriverFixture fixture = new DriverFixture();
    private final ProcessDriver driver = fixture.driver(ProcessDriverSettings.defaults(fixture.root)
            .withGatewayPort(OptionalInt.of(gateway.getAddress().getPort())));

    @BeforeAll
    static void startHosts() throws Exception {
        standIns = new StandIns();
        gateway = server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "gateway-ok");
        loopbackService = server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "loopback-service");
        hostService = server(new InetSocketAddress(0), "host-service");
    }

    @AfterAll
    static void stopHosts() {
        gateway.stop(0);
        loopbackService.stop(0);
        hostService.stop(0);
        standIns.close();
    }

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void setup_installs_a_package_that_subtasks_without_network_use() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("curl -fsS -o /tmp/hello.deb " + HELLO_DEB,
                "dpkg-deb -x /tmp/hello.deb /workspace/pkg"), Map.of());
        Sandbox first = DriverFixture.cloneOf(driver, spec, Resources.DEFAULT);
        Sandbox second = DriverFixture.cloneOf(driver, spec, Resources.DEFAULT);

        for (Sandbox subtask : List.of(first, second)) {
            var output = run(driver, subtask, "/workspace/pkg/usr/bin/hello");
            assertThat(output.stdout()).as(output.stderr()).isEqualTo("Hello, world!\n");
        }
        assertThat(run(driver, first, curl(HELLO_DEB) + " | head -c 6").stdout()).isEqualTo(FAILED);
    }

    @Test
    void setup_without_network_cannot_download_and_builds_nothing() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("curl -fsS -o /tmp/hello.deb " + HELLO_DEB), Map.of(),
                NetworkPolicy.NONE);

        assertThatThrownBy(() -> driver.prepareBase(spec)).isInstanceOf(io.drover.sandbox.BaseSetupFailed.class);
    }

    @Test
    void a_task_with_none_cannot_open_any_outbound_connection() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.NONE);

        assertThat(run(driver, sandbox, curl(standIn(standIns.allowed()))).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, curl(standIn(standIns.linkLocal()))).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, curl("https://repo.maven.apache.org/maven2/")).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, "getent hosts repo.maven.apache.org || echo " + FAILED).stdout())
                .isEqualTo(FAILED + "\n");
    }

    @Test
    void in_every_isolated_mode_host_services_are_out_of_reach_but_the_gateway_is_not() throws Exception {
        List<NetworkPolicy> policies = List.of(NetworkPolicy.NONE, NetworkPolicy.EGRESS,
                NetworkPolicy.allowing(List.of(standIns.allowed() + ":" + StandIns.PORT, primaryAddress() + ":"
                        + port(hostService), "127.0.0.1:" + port(loopbackService))));
        for (NetworkPolicy policy : policies) {
            Sandbox sandbox = sandbox(policy);
            List<String> hostEndpoints = List.of("127.0.0.1:" + port(loopbackService), "127.0.0.1:" + port(gateway),
                    "127.0.0.1:" + port(hostService), primaryAddress() + ":" + port(hostService),
                    standIns.hostAddress() + ":" + port(hostService), "100.64.0.1:" + port(hostService));
            for (String endpoint : hostEndpoints) {
                assertThat(run(driver, sandbox, curl("http://" + endpoint + "/")).stdout())
                        .as("%s from a sandbox with %s", endpoint, policy.canonical()).isEqualTo(FAILED);
            }
            assertThat(run(driver, sandbox, curl(LlmGateway.SANDBOX_URL + "/models")).stdout())
                    .as("the gateway from a sandbox with %s", policy.canonical()).isEqualTo("gateway-ok");
            driver.destroy(sandbox);
        }
    }

    @Test
    void egress_reaches_registries_by_name_but_not_private_or_link_local_hosts_and_is_metered() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.EGRESS);
        Usage before = driver.usage(sandbox);

        assertThat(run(driver, sandbox, "curl -sf -o lang3.jar " + JAR + " && head -c 2 lang3.jar").stdout())
                .isEqualTo("PK");
        assertThat(run(driver, sandbox, curl(standIn(standIns.allowed()))).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, curl(standIn(standIns.linkLocal()))).stdout()).isEqualTo(FAILED);

        Usage after = driver.usage(sandbox);
        assertThat(before.ingressBytes()).isPresent();
        // The jar is ~650 KB; requests are small.
        assertThat(after.ingressBytes().getAsLong() - before.ingressBytes().getAsLong()).isGreaterThan(600_000);
        assertThat(after.egressBytes().getAsLong() - before.egressBytes().getAsLong()).isBetween(500L, 200_000L);
        driver.destroy(sandbox);
        assertThat(driver.usage(sandbox).ingressBytes().getAsLong()).isGreaterThanOrEqualTo(
                after.ingressBytes().getAsLong());
    }

    @Test
    void an_allowlist_lets_through_only_the_endpoints_it_names() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.allowing(List.of(standIns.allowed() + ":" + StandIns.PORT,
                standIns.linkLocal() + ":" + StandIns.PORT)));

        assertThat(run(driver, sandbox, curl(standIn(standIns.allowed()))).stdout()).isEqualTo(StandIns.MARKER);
        assertThat(run(driver, sandbox, curl(standIn(standIns.linkLocal()))).stdout()).isEqualTo(StandIns.MARKER);
        assertThat(run(driver, sandbox, curl(standIn(standIns.other()))).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, curl("https://repo.maven.apache.org/maven2/")).stdout()).isEqualTo(FAILED);
    }

    @Test
    void an_allowlist_by_name_reaches_that_registry_only() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.allowing(List.of("repo.maven.apache.org:443")));

        assertThat(run(driver, sandbox, curl(JAR) + " | head -c 2").stdout()).isEqualTo("PK");
        assertThat(run(driver, sandbox, curl("http://repo.maven.apache.org/maven2/")).stdout()).isEqualTo(FAILED);
        assertThat(run(driver, sandbox, curl(standIn(standIns.allowed()))).stdout()).isEqualTo(FAILED);
    }

    @Test
    void nothing_outside_can_connect_into_a_sandbox() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.EGRESS);
        int port = 20_000 + (int) (ProcessHandle.current().pid() % 20_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Execution listening = driver.exec(sandbox, new Command("python3 -m http.server " + port
                + " --bind 0.0.0.0 >/dev/null 2>&1 & until curl -sf -o /dev/null http://127.0.0.1:" + port
                + "/; do sleep 0.1; done; echo listening; sleep 30", DriverFixture.ENV, Duration.ofSeconds(60),
                DriverFixture.sink(out), DriverFixture.sink(out)));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8)
                    .contains("listening"));
            // pasta's default would forward the host's port to a port bound in the namespace.
            Thread.sleep(1_500); // pasta's automatic forwarding, when on, scans listening sockets once a second
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(primaryAddress(), port), 2_000))
                    .isInstanceOf(IOException.class);
        } finally {
            listening.kill();
        }
    }

    @Test
    void a_host_sandbox_shares_the_hosts_network() throws Exception {
        Sandbox sandbox = sandbox(NetworkPolicy.HOST);

        assertThat(run(driver, sandbox, curl("http://127.0.0.1:" + port(loopbackService) + "/")).stdout())
                .isEqualTo("loopback-service");
    }

    @Test
    void destroy_stops_the_network_helper_and_removes_the_namespace() throws Exception {
        ProcessSandbox sandbox = (ProcessSandbox) sandbox(NetworkPolicy.EGRESS);
        Path dir = sandbox.dirs().dir();
        assertThat(StandIns.pastasUnder(dir)).hasSize(1);

        driver.destroy(sandbox);

        assertThat(StandIns.pastasUnder(dir)).isEmpty();
        assertThat(dir).doesNotExist();
    }

    @Test
    void a_new_driver_reclaims_the_network_of_a_dead_ones_sandbox() throws Exception {
        Owner current = Owner.current();
        Owner dead = new Owner(current.pid(), current.startTicks() - 3, current.instance());
        ProcessDriver crashed = fixture.driver(dead);
        ProcessSandbox orphan = (ProcessSandbox) DriverFixture.cloneOf(crashed, BaseSpec.of("host"),
                Resources.DEFAULT.withNetwork(NetworkPolicy.EGRESS));
        Path dir = orphan.dirs().dir();
        assertThat(StandIns.pastasUnder(dir)).hasSize(1);

        fixture.driver();

        assertThat(StandIns.pastasUnder(dir)).isEmpty();
        assertThat(dir).doesNotExist();
    }

    private Sandbox sandbox(NetworkPolicy policy) throws Exception {
        return DriverFixture.cloneOf(driver, BaseSpec.of("host"), Resources.DEFAULT.withNetwork(policy));
    }

    /** The body, or FAILED when no connection could be made or the request failed. */
    private static String curl(String url) {
        return "{ curl -sf --connect-timeout 3 -m 20 " + url + " || printf " + FAILED + "; }";
    }

    private static String standIn(String address) {
        return "http://" + address + ":" + StandIns.PORT + "/marker";
    }

    private static int port(HttpServer server) {
        return server.getAddress().getPort();
    }

    /** The host's first non-loopback IPv4 address. */
    private static String primaryAddress() throws IOException {
        List<String> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("dvt")) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address)
                        .map(InetAddress::getHostAddress).forEach(found::add);
            }
        }
        return found.isEmpty() ? standIns.hostAddress() : found.get(0);
    }

    private static HttpServer server(InetSocketAddress address, String body) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
