package io.drover.sandbox.microvm.guest;

import io.drover.sandbox.SandboxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest image of one guest dir, found there or built on first use. One build at a time per
 * directory: the callers of this process that need the image meanwhile wait for that one build
 * (and each sees its failure, after which the next call tries again), and a file lock beside the
 * directory keeps other processes from building into it at the same time: a process that finds
 * the lock taken waits, then uses what the holder built. The build runs on a thread of its own,
 * so a waiting caller that gives up does not stop it for the others.
 */
public final class FirstUseGuest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FirstUseGuest.class);
    /** The build running for each guest dir in this process: the file lock excludes processes, not threads. */
    private static final ConcurrentMap<Path, CompletableFuture<GuestImage>> BUILDS = new ConcurrentHashMap<>();

    /** Builds a guest image into a directory; {@link GuestBuild#run} runs build-guest.sh. */
    @FunctionalInterface
    public interface Builder {
        void build(Path dir) throws SandboxException, InterruptedException;
    }

    private final Path dir;
    private final boolean mayBuild;
    private final Builder builder;
    private final Set<Thread> building = ConcurrentHashMap.newKeySet();
    private volatile GuestImage ready;

    /** @param mayBuild false: use only an image already in {@code dir}, never build one */
    public FirstUseGuest(Path dir, boolean mayBuild, Builder builder) {
        this.dir = dir.toAbsolutePath().normalize();
        this.mayBuild = mayBuild;
        this.builder = builder;
    }

    public Path dir() {
        return dir;
    }

    /** The image, built first when it is missing or stale; blocks while the build runs (seconds to minutes). */
    public GuestImage image() throws SandboxException {
        GuestImage known = ready;
        if (known != null) {
            return known;
        }
        Optional<GuestImage> found = GuestImage.find(dir);
        if (found.isEmpty() && !mayBuild) {
            throw new SandboxException(notBuildable(dir));
        }
        GuestImage image = found.isPresent() ? found.get() : await(flight());
        ready = image;
        return image;
    }

    /** Why a missing image will not be built, and what to do about it. */
    public static String notBuildable(Path dir) {
        return "no microVM guest image in " + dir + " (drover.sandbox.microvm.guest-dir: "
                + GuestImage.absence(dir).orElse("no image there") + ") and drover.sandbox.microvm.build-guest is"
                + " false: build it there with build-guest.sh (docs/microvm.md), or set build-guest to true to build"
                + " it on first use";
    }

    /** Joins the build of this directory running in this process, or starts one. */
    private CompletableFuture<GuestImage> flight() {
        CompletableFuture<GuestImage> mine = new CompletableFuture<>();
        CompletableFuture<GuestImage> running = BUILDS.putIfAbsent(dir, mine);
        if (running != null) {
            return running;
        }
        Thread thread = new Thread(() -> build(mine), "microvm-guest-build");
        thread.setDaemon(true);
        building.add(thread);
        thread.start();
        return mine;
    }

    private void build(CompletableFuture<GuestImage> flight) {
        GuestImage image = null;
        Throwable failure = null;
        try {
            image = underLock();
        } catch (SandboxException | RuntimeException | Error e) {
            failure = e; // whatever it is, the callers waiting must hear of it
        } catch (InterruptedException e) {
            failure = new SandboxException("the microVM guest image build in " + dir + " was stopped (its driver"
                    + " closed); the next use builds it again");
        } finally {
            // Out of the map first: a caller that comes after the failure starts a new build.
            BUILDS.remove(dir, flight);
            building.remove(Thread.currentThread());
        }
        if (failure != null) {
            flight.completeExceptionally(failure);
        } else {
            flight.complete(image);
        }
    }

    private GuestImage underLock() throws SandboxException, InterruptedException {
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lock(channel, lockFile)) {
                Optional<GuestImage> found = GuestImage.find(dir);
                if (found.isPresent()) {
                    LOG.info("MicroVM guest image {} found in {}: another process built it meanwhile", found.get().id(),
                            dir);
                    return found.get();
                }
                return buildHere();
            }
        } catch (FileLockInterruptionException e) {
            throw new InterruptedException("interrupted while waiting for " + lockFile);
        } catch (IOException e) {
            throw new SandboxException("could not take " + lockFile + " to build the microVM guest image: "
                    + e.getMessage(), e);
        }
    }

    private FileLock lock(FileChannel channel, Path lockFile) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        LOG.info("Another process is building the microVM guest image in {} (it holds {}); waiting for it to finish",
                dir, lockFile);
        return channel.lock();
    }

    private GuestImage buildHere() throws SandboxException, InterruptedException {
        LOG.info("Building the microVM guest image in {} on first use ({}): from Debian packages with build-guest.sh;"
                + " microvm sandboxes wait for it (seconds with a warm package cache, minutes on a slow archive)", dir,
                GuestImage.absence(dir).orElse("no image there"));
        long start = System.nanoTime();
        try {
            builder.build(dir);
            GuestImage image = GuestImage.find(dir).orElseThrow(() -> new SandboxException("build-guest.sh finished"
                    + " but left no usable guest image in " + dir + " (" + GuestImage.absence(dir).orElse("") + ")"));
            LOG.info("MicroVM guest image {} built in {} in {} s: {}", image.id(), dir, seconds(start), image.describe());
            return image;
        } catch (SandboxException e) {
            LOG.warn("MicroVM guest image not built in {} after {} s: {}. The microvm sandboxes waiting for it fail;"
                    + " the next one to start builds it again", dir, seconds(start), e.getMessage());
            throw e;
        }
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9);
    }

    private GuestImage await(CompletableFuture<GuestImage> flight) throws SandboxException {
        try {
            return flight.get();
        } catch (ExecutionException e) {
            // Each caller gets an exception of its own, with the build's message and cause.
            throw new SandboxException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for the microVM guest image to be built in " + dir, e);
        }
    }

    /** Stops a build this instance started; whoever waits for it fails, and the next use builds again. */
    @Override
    public void close() {
        building.forEach(Thread::interrupt);
    }
}
