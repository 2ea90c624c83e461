package io.drover.sandbox.microvm;

import io.drover.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest every microVM boots: a Debian cloud kernel, an initramfs holding the guest root with
 * drover-agent, and an empty ext4 workspace disk. Built from Debian packages by
 * {@code build-guest.sh} (shipped in this jar with the agent's source and the init script). An
 * image whose agent source differs from this jar's is stale and is built again.
 *
 * @param id identifies the build; a base records it, and a base of another build is not used
 */
public record GuestImage(Path dir, String id, Properties properties) {
    private static final Logger LOG = LoggerFactory.getLogger(GuestImage.class);
    private static final String RESOURCES = "/io/drover/sandbox/microvm/guest/";
    private static final List<String> SOURCES = List.of("build-guest.sh", "agent.c", "init");

    public Path kernel() {
        return dir.resolve("vmlinuz");
    }

    public Path initrd() {
        return dir.resolve("initrd.img");
    }

    public Path workspace() {
        return dir.resolve("workspace.qcow2");
    }

    public String describe() {
        return "kernel " + properties.getProperty("kernel") + ", busybox " + properties.getProperty("busybox")
                + ", agent protocol " + properties.getProperty("agentProtocol");
    }

    /** The image in {@code dir}, when complete and built from this jar's agent source. */
    public static Optional<GuestImage> find(Path dir) {
        Path metadata = dir.resolve("guest.properties");
        if (!Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(metadata)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        GuestImage image = new GuestImage(dir, sha256(metadata).substring(0, 16), p);
        boolean complete = Files.isRegularFile(image.kernel()) && Files.isRegularFile(image.initrd())
                && Files.isRegularFile(image.workspace());
        if (!complete || !agentSource().equals(p.getProperty("agentSource"))) {
            return Optional.empty();
        }
        return Optional.of(image);
    }

    /** The image in {@code dir}, built first when missing or stale (a minute or so; needs Debian's archive). */
    public static GuestImage findOrBuild(Path dir) throws SandboxException {
        Optional<GuestImage> ready = find(dir);
        if (ready.isPresent()) {
            return ready.get();
        }
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                ready = find(dir);
                if (ready.isPresent()) {
                    return ready.get(); // another process built it while we waited
                }
                build(dir);
            }
        } catch (IOException e) {
            throw new SandboxException("could not build the microVM guest image in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while building the microVM guest image", e);
        }
        return find(dir).orElseThrow(() -> new SandboxException("build-guest.sh finished but left no usable image in "
                + dir));
    }

    private static void build(Path dir) throws IOException, InterruptedException, SandboxException {
        Path sources = Files.createTempDirectory("drover-guest-src");
        try {
            for (String name : SOURCES) {
                try (InputStream in = GuestImage.class.getResourceAsStream(RESOURCES + name)) {
                    Files.copy(in, sources.resolve(name));
                }
            }
            LOG.info("Building the microVM guest image in {} from Debian packages (build-guest.sh)", dir);
            long start = System.nanoTime();
            Process process = new ProcessBuilder("bash", sources.resolve("build-guest.sh").toString(),
                    dir.toAbsolutePath().toString()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                String text = new String(output, StandardCharsets.UTF_8);
                throw new SandboxException("build-guest.sh failed: " + (text.length() > 3000
                        ? "..." + text.substring(text.length() - 3000) : text));
            }
            LOG.info("Guest image built in {} s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        } finally {
            VmFiles.deleteTree(sources);
        }
    }

    /** The first 16 hex digits of the SHA-256 of this jar's agent.c, as build-guest.sh records it. */
    static String agentSource() {
        try (InputStream in = GuestImage.class.getResourceAsStream(RESOURCES + "agent.c")) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()))
                    .substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
