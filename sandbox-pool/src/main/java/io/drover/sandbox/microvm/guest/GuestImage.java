package io.drover.sandbox.microvm.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The guest every microVM boots: a Debian cloud kernel, an initramfs holding the guest root with
 * drover-agent, and an empty ext4 workspace disk. Built from Debian packages by
 * {@code build-guest.sh} (shipped in this jar with the agent's source and the init script; see
 * {@link GuestBuild}). An image whose agent source differs from this jar's is stale and is built again.
 *
 * @param id identifies the build; a base records it, and a base of another build is not used
 */
public record GuestImage(Path dir, String id, Properties properties) {
    static final String RESOURCES = "/io/drover/sandbox/microvm/guest/";
    private static final String METADATA = "guest.properties";

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
        return inspect(dir).image();
    }

    /** Why {@code dir} holds no usable image, e.g. {@code no image there}; empty when it does hold one. */
    public static Optional<String> absence(Path dir) {
        return inspect(dir).absence();
    }

    private record Inspection(Optional<GuestImage> image, Optional<String> absence) {
        static Inspection missing(String why) {
            return new Inspection(Optional.empty(), Optional.of(why));
        }
    }

    private static Inspection inspect(Path dir) {
        Path metadata = dir.resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            return Inspection.missing("no image there");
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(metadata)) {
            p.load(in);
        } catch (IOException e) {
            return Inspection.missing(metadata + " is unreadable (" + e.getMessage() + ")");
        }
        GuestImage image = new GuestImage(dir, sha256(metadata).substring(0, 16), p);
        if (!Files.isRegularFile(image.kernel()) || !Files.isRegularFile(image.initrd())
                || !Files.isRegularFile(image.workspace())) {
            return Inspection.missing("the image there is incomplete");
        }
        if (!agentSource().equals(p.getProperty("agentSource"))) {
            return Inspection.missing("the image there was built from another drover-agent source than this version's");
        }
        return new Inspection(Optional.of(image), Optional.empty());
    }

    /** The first 16 hex digits of the SHA-256 of this jar's agent.c, as build-guest.sh records it. */
    static String agentSource() {
        try (InputStream in = GuestImage.class.getResourceAsStream(RESOURCES + "agent.c")) {
            return sha256(in.readAllBytes()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
