package io.drover.sandbox.process.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts a test stands up on this machine for sandboxes to reach: a network namespace of the test's
 * own, joined to the host by a veth pair, holding several addresses (two private ones and a
 * link-local one) and an HTTP server on each that answers with a marker file. Nothing leaves
 * the machine. Closing removes the server, the namespace and the veth pair.
 */
public final class StandIns implements AutoCloseable {
    public static final int PORT = 8080;
    public static final String MARKER = "stand-in-ok";

    private final String namespace;
    private final String hostSide;
    private final int subnet;
    private final Path www;
    private Process server;

    public StandIns() throws IOException, InterruptedException {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        subnet = ThreadLocalRandom.current().nextInt(1, 250);
        namespace = "drover-test-" + tag;
        hostSide = "dvt" + tag + "h";
        String standInSide = "dvt" + tag + "s";
        www = Files.createTempDirectory("drover-standin");
        Files.writeString(www.resolve("marker"), MARKER);
        try {
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", standInSide);
            run("ip", "link", "set", standInSide, "netns", namespace);
            run("ip", "addr", "add", "10.203." + subnet + ".1/24", "dev", hostSide);
            run("ip", "addr", "add", "169.254." + subnet + ".1/24", "dev", hostSide);
            run("ip", "link", "set", hostSide, "up");
            for (String address : List.of(allowed(), other(), linkLocal())) {
                run("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev", standInSide);
            }
            run("ip", "netns", "exec", namespace, "ip", "link", "set", standInSide, "up");
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
            server = new ProcessBuilder("ip", "netns", "exec", namespace, "/usr/bin/python3", "-m", "http.server",
                    Integer.toString(PORT), "--bind", "0.0.0.0", "--directory", www.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitServer();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The stand-in an allowlist names. */
    public String allowed() {
        return "10.203." + subnet + ".2";
    }

    /** A stand-in no allowlist names. */
    public String other() {
        return "10.203." + subnet + ".3";
    }

    /** A stand-in on a link-local address, where cloud metadata services live. */
    public String linkLocal() {
        return "169.254." + subnet + ".2";
    }

    /** The host's own address on the stand-ins' link. */
    public String hostAddress() {
        return "10.203." + subnet + ".1";
    }

    private void awaitServer() throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            Process probe = new ProcessBuilder("curl", "-sf", "-m", "1", "http://" + allowed() + ":" + PORT + "/marker")
                    .redirectErrorStream(true).start();
            if (probe.waitFor() == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException("the stand-in server did not come up");
    }

    @Override
    public void close() {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
        quietly("ip", "link", "del", hostSide);
        quietly("ip", "netns", "del", namespace);
        try (var files = Files.walk(www)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private static void quietly(String... argv) {
        try {
            run(argv);
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // already gone
        }
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
        }
        return output;
    }

    /** Pids of pasta processes serving a namespace file under {@code dir}. */
    public static List<Long> pastasUnder(Path dir) {
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                if (cmdline.startsWith("pasta ") && cmdline.contains(dir.toString())) {
                    found.add(p.pid());
                }
            } catch (IOException ignored) {
                // exited meanwhile
            }
        });
        return found;
    }
}
