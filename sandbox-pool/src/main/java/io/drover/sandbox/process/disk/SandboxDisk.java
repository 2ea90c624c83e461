package io.drover.sandbox.process.disk;

import io.drover.sandbox.process.overlay.OverlayMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A sandbox's size-limited file system: a sparse ext4 image beside the sandbox's directories,
 * loop-mounted where its overlay upper and work dirs and its /tmp live. The kernel refuses writes past
 * the image's size (ENOSPC): a hard limit, not a poll. The image holds only what was written, so the
 * host's disk pays for the sandbox's writes, never for the limit.
 *
 * <p>No journal (the image dies with the sandbox; crash consistency buys nothing), no blocks reserved
 * for growing it (^resize_inode: 4 MiB less to write for 10 GiB, mke2fs 15 ms down to 5 ms) and lazy
 * inode tables keep mke2fs at milliseconds for any size. mount(8)'s {@code -o loop} attaches the
 * loop device with autoclear, so unmounting releases it.
 */
public final class SandboxDisk {
    /** Below this many free bytes (or no free inodes) the file system counts as full. */
    static final long FULL_SLACK_BYTES = 1024 * 1024;

    /** The mke2fs command that formats a sandbox's sparse image at {@code file}, as described above. */
    public static List<String> formatCommand(String file) {
        return List.of("mke2fs", "-q", "-F", "-t", "ext4", "-O", "^has_journal,^resize_inode", "-m", "0",
                "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", file);
    }

    private final Path image;
    private final Path mountPoint;
    private final long baselineUsedBytes;

    private SandboxDisk(Path image, Path mountPoint, long baselineUsedBytes) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.baselineUsedBytes = baselineUsedBytes;
    }

    /**
     * Makes a {@code megabytes} image at {@code image} and mounts it at {@code mountPoint} (which
     * must exist). On failure nothing is left mounted or attached.
     */
    public static SandboxDisk create(Path image, Path mountPoint, int megabytes) {
        String file = image.toAbsolutePath().normalize().toString();
        try {
            try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file, "rw")) {
                sparse.setLength(megabytes * 1024L * 1024L);
            }
            Tools.run(formatCommand(file).toArray(String[]::new));
            // noinit_itable: a sparse file reads as zeros, so the inode tables need no zeroing thread.
            Tools.run("mount", "-t", "ext4", "-o", "loop,nodev,nosuid,noatime,noinit_itable", file,
                    mountPoint.toAbsolutePath().normalize().toString());
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new UncheckedIOException("cannot make " + file, (IOException) e);
            try {
                release(image, mountPoint);
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
        SandboxDisk disk = new SandboxDisk(image, mountPoint, 0);
        return new SandboxDisk(image, mountPoint, disk.fsUsedBytes());
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public Path image() {
        return image;
    }

    /** Bytes the sandbox's files take on the file system (allocated blocks, so a sparse file counts what it holds). */
    public long usedBytes() {
        return Math.max(0, fsUsedBytes() - baselineUsedBytes);
    }

    /**
     * Whether the file system is full, in bytes or in inodes: a command that failed while it was
     * full most likely failed on ENOSPC.
     */
    public boolean isFull() {
        try {
            String[] f = Tools.run("stat", "-f", "-c", "%a %S %d", mountPoint.toString()).split(" ");
            long availableBytes = Long.parseLong(f[0]) * Long.parseLong(f[1]);
            long freeInodes = Long.parseLong(f[2]);
            return availableBytes < FULL_SLACK_BYTES || freeInodes == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private long fsUsedBytes() {
        try {
            FileStore store = Files.getFileStore(mountPoint);
            return store.getTotalSpace() - store.getUnallocatedSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system at " + mountPoint, e);
        }
    }

    /** Unmounts, detaches and deletes; each step also when an earlier one found nothing to do. */
    public void release() {
        release(image, mountPoint);
    }

    /**
     * Releases what a sandbox disk at these paths may have left, made by this process or a dead one:
     * the mount (lazily, if a process still holds it), any loop device still on the image, the image.
     */
    public static void release(Path image, Path mountPoint) {
        RuntimeException failure = null;
        try {
            OverlayMount.unmount(mountPoint);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (Files.exists(image)) {
                LoopDevices.detach(image);
            }
            Files.deleteIfExists(image);
        } catch (IOException | RuntimeException e) {
            RuntimeException wrapped = e instanceof RuntimeException r ? r
                    : new UncheckedIOException("cannot delete " + image, (IOException) e);
            if (failure == null) {
                failure = wrapped;
            } else {
                failure.addSuppressed(wrapped);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
