package io.drover.sandbox.process.network;

import io.drover.sandbox.LlmGateway;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.NetworkPolicy.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The network namespace of one sandbox, kept in a file under the sandbox's directory so that every
 * command of the sandbox joins the same one: created with its firewall already in place, then
 * connected by {@link Pasta}. Sandboxes without egress and without a gateway to reach need none
 * (bubblewrap's fresh namespace, loopback only, costs nothing); {@code host} sandboxes share the
 * host's.
 */
public final class SandboxNetwork {
    static final String NAMESPACE_FILE = "netns";
    static final String PID_FILE = "pasta.pid";

    private final Path namespace;
    private final Path pidFile;
    private final NetworkPolicy policy;

    private SandboxNetwork(Path namespace, Path pidFile, NetworkPolicy policy) {
        this.namespace = namespace;
        this.pidFile = pidFile;
        this.policy = policy;
    }

    /**
     * Creates the namespace of a sandbox whose files live in {@code dir}, if its policy needs one.
     *
     * @param gatewayPort the LLM gateway's port on the host's loopback, if there is a gateway
     */
    public static Optional<SandboxNetwork> open(Path dir, NetworkPolicy policy, OptionalInt gatewayPort)
            throws IOException {
        if (policy.mode() == NetworkPolicy.Mode.HOST || (!policy.hasEgress() && gatewayPort.isEmpty())) {
            return Optional.empty();
        }
        Map<Endpoint, List<String>> allowed = resolve(policy);
        SandboxNetwork network = new SandboxNetwork(dir.resolve(NAMESPACE_FILE), dir.resolve(PID_FILE), policy);
        try {
            Files.createFile(network.namespace);
            String rules = Firewall.rules(policy, HostAddresses.ipv4(), allowed);
            // One step: the namespace is bound to its file with the rules installed, before anyone can use it.
            run(List.of("unshare", "--net=" + network.namespace, "nft", "-f", "-"), rules);
            Pasta.start(Pasta.command(network.namespace, network.pidFile, gatewayPort, LlmGateway.SANDBOX_PORT),
                    network.pidFile);
            return Optional.of(network);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            network.close();
            throw new IOException("interrupted while connecting the sandbox's network", e);
        }
    }

    /** The namespace's file, for {@code nsenter --net=}. */
    public Path namespace() {
        return namespace;
    }

    /** Whether the sandbox resolves names through pasta's DNS forwarder. */
    public boolean hasDns() {
        return policy.hasEgress();
    }

    /** The address the sandbox's /etc/resolv.conf names. */
    public static String nameserver() {
        return Pasta.GATEWAY;
    }

    /** Bytes sent and received over the sandbox's interface so far; empty once the namespace is gone. */
    public Optional<Traffic> traffic() {
        if (!Files.exists(namespace)) {
            return Optional.empty();
        }
        try {
            String dev = run(List.of("nsenter", "--net=" + namespace, "cat", "/proc/net/dev"), "");
            return Traffic.parse(dev, Pasta.INTERFACE);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops pasta and removes the namespace. Safe to call twice. */
    public void close() {
        release(namespace.getParent());
    }

    /** Releases what a sandbox's network left in {@code dir}, e.g. after its driver died: pasta, then the namespace. */
    public static void release(Path dir) {
        Path namespace = dir.resolve(NAMESPACE_FILE);
        Pasta.stop(dir.resolve(PID_FILE), namespace);
        try {
            if (isMountPoint(namespace)) {
                try {
                    run(List.of("umount", namespace.toString()), "");
                } catch (IOException busy) {
                    // A pasta slow to die still holds it: detach now, the kernel frees it when pasta is gone.
                    run(List.of("umount", "--lazy", namespace.toString()), "");
                }
            }
            Files.deleteIfExists(namespace);
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the network namespace " + namespace, e);
        }
    }

    private static boolean isMountPoint(Path path) throws IOException {
        String target = " " + path.toAbsolutePath().normalize() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
    }

    /** Each allowlisted endpoint's IPv4 addresses: its network, or what its name resolves to now. */
    private static Map<Endpoint, List<String>> resolve(NetworkPolicy policy) throws IOException {
        Map<Endpoint, List<String>> addresses = new LinkedHashMap<>();
        for (Endpoint endpoint : policy.allow()) {
            if (endpoint.isAddress()) {
                addresses.put(endpoint, List.of(endpoint.host()));
                continue;
            }
            try {
                List<String> found = new ArrayList<>();
                Arrays.stream(InetAddress.getAllByName(endpoint.host())).filter(a -> a instanceof Inet4Address)
                        .map(InetAddress::getHostAddress).distinct().forEach(found::add);
                if (found.isEmpty()) {
                    throw new IOException("allowlisted host " + endpoint.host() + " has no IPv4 address");
                }
                addresses.put(endpoint, found);
            } catch (UnknownHostException e) {
                throw new IOException("cannot resolve allowlisted host " + endpoint.host()
                        + "; check the name in spec.sandbox.network.allow", e);
            }
        }
        return addresses;
    }

    private static String run(List<String> argv, String input) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(argv.get(0) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(argv.get(0) + " was interrupted", e);
        }
        return output;
    }

    /** Bytes over the sandbox's interface: sent (egress) and received (ingress). */
    public record Traffic(long sentBytes, long receivedBytes) {
        static Optional<Traffic> parse(String procNetDev, String iface) {
            for (String line : procNetDev.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(iface)) {
                    String[] f = line.substring(colon + 1).strip().split("\\s+");
                    return Optional.of(new Traffic(Long.parseLong(f[8]), Long.parseLong(f[0])));
                }
            }
            return Optional.empty();
        }
    }
}
