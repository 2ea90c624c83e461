package io.drover.sandbox.process.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * pasta (Debian's {@code passt}): a user-mode network for one namespace. It gives the namespace a
 * tap interface and carries its TCP, UDP and ICMP flows over ordinary sockets it opens in the
 * host's namespace: no veth, no bridge, no NAT rule on the host. Port forwarding is off in both
 * directions, but for one: the LLM gateway, which pasta forwards from the namespace's loopback to
 * the host's. {@code --no-map-gw} keeps the gateway address from standing for the host's loopback.
 *
 * <p>It runs as root: bookworm's pasta drops to {@code nobody} by default and then cannot join a
 * namespace owned by the host's user namespace. It daemonizes once the interface is up; it holds
 * the namespace's file busy until it is stopped, so it is stopped first.
 */
final class Pasta {
    /** The sandbox's address, its gateway (and DNS forwarder): a /30 of the shared address space. */
    static final String ADDRESS = "100.64.0.2";
    static final String GATEWAY = "100.64.0.1";
    static final String INTERFACE = "eth0";
    private static final long START_TIMEOUT_SECONDS = 10;

    private Pasta() {
    }

    static List<String> command(Path netns, Path pidFile, OptionalInt gatewayPort, int sandboxGatewayPort) {
        List<String> argv = new ArrayList<>(List.of("pasta", "--netns", netns.toString(), "--runas", "0",
                "--config-net", "--ipv4-only", "--ns-ifname", INTERFACE, "--address", ADDRESS, "--netmask", "30",
                "--gateway", GATEWAY, "--no-map-gw", "--dns-forward", GATEWAY, "--no-dhcp",
                "--tcp-ports", "none", "--udp-ports", "none", "--udp-ns", "none",
                "--tcp-ns", gatewayPort.isPresent() ? sandboxGatewayPort + ":" + gatewayPort.getAsInt() : "none",
                "--quiet", "--pid", pidFile.toString()));
        return argv;
    }

    /** Starts pasta and returns once it has configured the namespace and gone to the background. */
    static long start(List<String> argv, Path pidFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("pasta did not start within " + START_TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException("pasta failed (exit " + process.exitValue() + "): " + output);
        }
        return pid(pidFile).orElseThrow(() -> new IOException("pasta started but wrote no pid to " + pidFile));
    }

    static OptionalLong pid(Path pidFile) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Stops the pasta whose pid the file holds, if it still runs and is pasta serving {@code netns}
     * (a pid reused by another process after a crash is left alone). Returns whether one was stopped.
     */
    static boolean stop(Path pidFile, Path netns) {
        OptionalLong pid = pid(pidFile);
        if (pid.isEmpty()) {
            return false;
        }
        var handle = ProcessHandle.of(pid.getAsLong());
        if (handle.isEmpty() || !servesNamespace(pid.getAsLong(), netns)) {
            return false;
        }
        handle.get().destroyForcibly();
        // Not onExit(): pasta daemonizes, so it is not our child, and where nothing reaps orphans its
        // zombie would keep onExit() waiting for the whole timeout. A zombie holds no socket or namespace.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running(pid.getAsLong()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
    }

    /** Whether the process exists and is not a zombie (state Z in /proc/PID/stat). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean servesNamespace(long pid, Path netns) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            return cmdline.startsWith("pasta ") && cmdline.contains(" " + netns + " ");
        } catch (IOException e) {
            return false;
        }
    }
}
