package io.drover.sandbox.process.base;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Ready bases on disk: {@code <bases>/<hash>/layer} plus {@code base.properties}. A base directory
 * only ever appears whole (see {@link #commit}), so a restarted Drover reuses every one it finds.
 */
public final class BaseStore {
    private static final String METADATA = "base.properties";

    private final Path bases;

    public BaseStore(Path bases) {
        this.bases = bases;
        try {
            Files.createDirectories(bases);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the base directory " + bases, e);
        }
    }

    public Optional<BaseSnapshot> find(BaseSpec spec) {
        Path dir = bases.resolve(spec.hash());
        Path metadata = dir.resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(metadata)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metadata, e);
        }
        return Optional.of(new BaseSnapshot(spec.hash(), spec, dir.resolve("layer"),
                Long.parseLong(p.getProperty("sizeBytes", "0")), Duration.ofMillis(Long.parseLong(p.getProperty("buildMillis", "0")))));
    }

    /**
     * Makes {@code layer} (a finished setup's upper directory, or a new empty one) the base of
     * {@code spec}. The base is assembled in {@code staging} (on the same file system) and appears
     * under its hash in one rename, so a reader never sees half a base. When another process
     * published the same hash first, its base is kept and this one discarded: a base in use as an
     * overlay lower dir must never be replaced.
     */
    public BaseSnapshot commit(BaseSpec spec, Path layer, Duration buildTime, Path staging) throws IOException {
        Files.createDirectories(staging);
        Files.move(layer, staging.resolve("layer"), StandardCopyOption.ATOMIC_MOVE);
        long size = sizeOf(staging.resolve("layer"));
        Properties p = new Properties();
        p.setProperty("hash", spec.hash());
        p.setProperty("image", spec.image());
        p.setProperty("setupSteps", Integer.toString(spec.setup().size()));
        p.setProperty("sizeBytes", Long.toString(size));
        p.setProperty("buildMillis", Long.toString(buildTime.toMillis()));
        p.setProperty("builtAt", Instant.now().toString());
        try (Writer out = Files.newBufferedWriter(staging.resolve(METADATA))) {
            p.store(out, "Drover base snapshot; the layer is read-only: it is only ever an overlay lower dir");
        }
        Path dir = bases.resolve(spec.hash());
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Optional<BaseSnapshot> published = find(spec);
            if (published.isEmpty()) {
                throw e;
            }
            deleteTree(staging);
            return published.get();
        }
        return new BaseSnapshot(spec.hash(), spec, dir.resolve("layer"), size, buildTime);
    }

    /**
     * Removes the base {@code hash}; returns the bytes freed (0 when there was none). The base
     * first leaves its name in one rename, so that a concurrent {@link #find} sees it whole or not
     * at all, never half deleted; what is left of an interrupted delete is a {@code .deleting-}
     * directory that the next delete of any base removes.
     */
    public long delete(String hash) throws IOException {
        Path dir = bases.resolve(hash);
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a base hash: " + hash);
        }
        Path doomed = bases.resolve(".deleting-" + hash + "-" + UUID.randomUUID().toString().substring(0, 8));
        long size = sizeOf(dir.resolve("layer"));
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return 0;
        }
        try (Stream<Path> leftovers = Files.list(bases)) {
            for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(".deleting-")).toList()) {
                deleteTree(p);
            }
        }
        return size;
    }

    public static long sizeOf(Path directory) {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
