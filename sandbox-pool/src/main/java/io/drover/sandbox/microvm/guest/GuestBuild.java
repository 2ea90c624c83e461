package io.drover.sandbox.microvm.guest;

import io.drover.sandbox.SandboxException;
import io.drover.sandbox.microvm.VmFiles;
import io.drover.sandbox.preflight.Executables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code build-guest.sh} into a directory. The script and the guest sources are copied
 * out of this jar; its output goes to the log line by line as it comes (a line per step), and its
 * last lines into the error when it fails. An interrupted or overdue build is killed with
 * everything it started, and leaves no half-built image.
 */
public final class GuestBuild {
    private static final Logger LOG = LoggerFactory.getLogger(GuestBuild.class);
    private static final List<String> SOURCES = List.of("build-guest.sh", "agent.c", "init");
    /** What build-guest.sh runs, each with the Debian package that has it. */
    private static final Map<String, String> TOOLS = tools();
    static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final int TAIL_LINES = 40;

    private GuestBuild() {
    }

    /** Builds the guest image into {@code dir}, replacing what is there; the caller holds the guest dir's lock. */
    public static void run(Path dir) throws SandboxException, InterruptedException {
        Path sources = null;
        Process process = null;
        Tail tail = new Tail();
        try {
            sources = copySources();
            process = new ProcessBuilder("bash", sources.resolve("build-guest.sh").toString(),
                    dir.toAbsolutePath().toString()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            Thread reader = tail.follow(process.getInputStream());
            if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                throw new SandboxException("build-guest.sh did not finish within " + TIMEOUT.toMinutes()
                        + " minutes building the microVM guest image in " + dir + "; last output:\n" + tail);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            if (process.exitValue() != 0) {
                throw new SandboxException("build-guest.sh exited with " + process.exitValue()
                        + " building the microVM guest image in " + dir + "; last output:\n" + tail);
            }
        } catch (IOException e) {
            throw new SandboxException("could not run build-guest.sh for the microVM guest image in " + dir + ": "
                    + e.getMessage(), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (process != null) {
                // The script stages the image next to its target, named after its own pid.
                VmFiles.deleteTree(dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".building-" + process.pid()));
            }
            if (sources != null) {
                VmFiles.deleteTree(sources);
            }
        }
    }

    /**
     * What of build-guest.sh's needs is not on Drover's PATH, as one sentence with the packages to
     * install; empty when nothing is missing.
     */
    public static Optional<String> missingTools() {
        Map<String, String> missing = new LinkedHashMap<>();
        TOOLS.forEach((tool, pkg) -> {
            if (Executables.find(tool).isEmpty()) {
                missing.put(tool, pkg);
            }
        });
        if (!missing.containsKey("gcc") && !staticLibcFound()) {
            missing.put("libc.a (static C library)", "libc6-dev");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", missing.keySet()) + " not found on Drover's PATH ("
                + System.getenv("PATH") + "): apt-get install " + String.join(" ", new LinkedHashSet<>(missing.values())));
    }

    /** {@code gcc -static} links libc.a, which only libc6-dev installs; gcc prints the bare name when it has none. */
    private static boolean staticLibcFound() {
        return Executables.find("gcc").flatMap(gcc -> Executables.version(gcc, "-print-file-name=libc.a"))
                .map(path -> path.startsWith("/")).orElse(false);
    }

    private static Path copySources() throws IOException {
        Path sources = Files.createTempDirectory("drover-guest-src");
        for (String name : SOURCES) {
            try (InputStream in = GuestBuild.class.getResourceAsStream(GuestImage.RESOURCES + name)) {
                Files.copy(in, sources.resolve(name));
            }
        }
        return sources;
    }

    private static Map<String, String> tools() {
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("apt-get", "apt");
        tools.put("apt-cache", "apt");
        tools.put("dpkg", "dpkg");
        tools.put("gcc", "gcc");
        tools.put("cpio", "cpio");
        tools.put("gzip", "gzip");
        tools.put("mkfs.ext4", "e2fsprogs");
        tools.put("qemu-img", "qemu-utils");
        return Collections.unmodifiableMap(tools);
    }

    /** The script's output: every line to the log as it comes, the last ones kept for an error. */
    private static final class Tail {
        private final Deque<String> lines = new ArrayDeque<>();

        Thread follow(InputStream output) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        LOG.info("guest image build: {}", line);
                        add(line);
                    }
                } catch (IOException e) {
                    add("(output unreadable: " + e.getMessage() + ")");
                }
            }, "microvm-guest-build-output");
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        private synchronized void add(String line) {
            if (lines.size() == TAIL_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        @Override
        public synchronized String toString() {
            return lines.isEmpty() ? "(none)" : String.join("\n", lines);
        }
    }
}
