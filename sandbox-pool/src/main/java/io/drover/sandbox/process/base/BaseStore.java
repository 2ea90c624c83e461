package io.drover.sandbox.process.base;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    private static final String CONTENT_HASH = "contentHash";

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
        Properties p;
        try {
            p = metadata(metadata);
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
        // Hashed once here, so that a peer serving this layer never hashes it again.
        p.setProperty(CONTENT_HASH, LayerDigest.of(staging.resolve("layer")));
        writeMetadata(staging, p);
        return publish(spec, staging).orElseGet(() -> new BaseSnapshot(spec.hash(), spec,
                bases.resolve(spec.hash()).resolve("layer"), size, buildTime));
    }

    /** The base's content hash as recorded at its build; a base built before there was one is hashed now and keeps it. */
    public String contentHash(String hash) throws IOException {
        Path dir = existing(hash);
        Properties p = metadata(dir.resolve(METADATA));
        String recorded = p.getProperty(CONTENT_HASH);
        if (recorded != null) {
            return recorded;
        }
        String computed = LayerDigest.of(dir.resolve("layer"));
        p.setProperty(CONTENT_HASH, computed);
        writeMetadata(dir, p);
        return computed;
    }

    /** Writes the base {@code hash} as a tar stream of its layer and metadata. */
    public void export(String hash, OutputStream out) throws IOException {
        LayerArchive.write(existing(hash), out);
    }

    /**
     * Unpacks a base sent by a peer into {@code staging} (on the same file system), and publishes it
     * under its hash only if its layer hashes to {@code contentHash} and its metadata names the
     * spec's hash. Nothing of a stream that fails either check is left behind.
     */
    public BaseSnapshot install(BaseSpec spec, InputStream tar, String contentHash, Path staging) throws IOException {
        Files.createDirectories(staging);
        try {
            LayerArchive.read(tar, staging);
            Properties p = metadata(staging.resolve(METADATA));
            if (!spec.hash().equals(p.getProperty("hash")) || !Files.isDirectory(staging.resolve("layer"))) {
                throw new IOException("the stream is not the base " + spec.hash() + " (its metadata names "
                        + p.getProperty("hash") + ")");
            }
            String received = LayerDigest.of(staging.resolve("layer"));
            if (!received.equals(contentHash)) {
                throw new IOException("the layer received hashes to " + received + ", not to the recorded " + contentHash);
            }
            p.setProperty(CONTENT_HASH, received);
            writeMetadata(staging, p);
            long size = sizeOf(staging.resolve("layer"));
            Duration buildTime = Duration.ofMillis(Long.parseLong(p.getProperty("buildMillis", "0")));
            return publish(spec, staging).orElseGet(() -> new BaseSnapshot(spec.hash(), spec,
                    bases.resolve(spec.hash()).resolve("layer"), size, buildTime));
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Renames {@code staging} to the base's name. When another caller published the same hash
     * first, its base is kept (and returned) and this one discarded: a base in use as an overlay
     * lower dir must never be replaced. Empty when {@code staging} is now the base.
     */
    private Optional<BaseSnapshot> publish(BaseSpec spec, Path staging) throws IOException {
        try {
            Files.move(staging, bases.resolve(spec.hash()), StandardCopyOption.ATOMIC_MOVE);
            return Optional.empty();
        } catch (IOException e) {
            Optional<BaseSnapshot> published = find(spec);
            if (published.isEmpty()) {
                throw e;
            }
            deleteTree(staging);
            return published;
        }
    }

    private Path existing(String hash) throws IOException {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a base hash: " + hash);
        }
        Path dir = bases.resolve(hash);
        if (!Files.isRegularFile(dir.resolve(METADATA))) {
            throw new NoSuchFileException(dir.toString(), null, "no such base on this node");
        }
        return dir;
    }

    /** Replaced in one rename, so that {@link #find} never reads half of it. */
    private static void writeMetadata(Path dir, Properties p) throws IOException {
        Path next = dir.resolve(METADATA + ".next");
        try (Writer out = Files.newBufferedWriter(next)) {
            p.store(out, "Drover base snapshot; the layer is read-only: it is only ever an overlay lower dir");
        }
        Files.move(next, dir.resolve(METADATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Properties metadata(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
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
