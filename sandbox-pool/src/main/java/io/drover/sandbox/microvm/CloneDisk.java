package io.drover.sandbox.microvm;

import io.drover.sandbox.process.disk.SandboxDisk;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A clone's own disk, {@code disk.raw} in its directory: a sparse file of {@code resources.diskMb}
 * formatted ext4 here, which the guest sees as /dev/vdb and puts the upper layers of /workspace and
 * /tmp on (agent frame 'D'). A write past its size fails in the guest with ENOSPC, a hard limit the
 * guest cannot lift: the host decides the device's size. The file holds only what was written, so
 * the host's disk pays for the sandbox's writes, never for the limit.
 *
 * <p>A base has the same device, so that its saved state and its clones' QEMU have the same device
 * set; there it is a one-MiB placeholder, never formatted nor mounted. A restored guest keeps the
 * placeholder's size until the host resizes the drive ({@link io.drover.sandbox.microvm.qemu.QemuVm#resize}).
 *
 * <p>Formatted by the process driver's {@link SandboxDisk#formatCommand}: no journal (the disk dies with the
 * sandbox), no blocks reserved for growing it, lazy inode tables (the guest mounts it with
 * {@code noinit_itable}: a sparse file reads as zeros): milliseconds for any size.
 */
final class CloneDisk {
    static final String FILE = "disk.raw";
    private static final long PLACEHOLDER_BYTES = 1024 * 1024;

    private final Path file;
    private final long bytes;
    private final Process mke2fs;
    private volatile long baselineBytes;

    private CloneDisk(Path file, long bytes, Process mke2fs) {
        this.file = file;
        this.bytes = bytes;
        this.mke2fs = mke2fs;
    }

    /** The base's placeholder in {@code dir}. */
    static Path placeholder(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(PLACEHOLDER_BYTES);
        }
        return file;
    }

    /** No limit ({@code drover.pool.disk-limit=none}): the device gets a placeholder the guest never mounts. */
    static CloneDisk none(Path dir) throws IOException {
        return new CloneDisk(placeholder(dir).toAbsolutePath(), PLACEHOLDER_BYTES, null);
    }

    /**
     * Starts making the {@code megabytes} disk of a clone in {@code dir}: the file has its size when
     * this returns (QEMU may open it), mke2fs is still writing it until {@link #awaitFormatted}.
     */
    static CloneDisk create(Path dir, int megabytes) throws IOException {
        Path file = dir.resolve(FILE).toAbsolutePath();
        long bytes = megabytes * 1024L * 1024L;
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(bytes);
        }
        Process mke2fs = new ProcessBuilder(SandboxDisk.formatCommand(file.toString()))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        mke2fs.getOutputStream().close();
        return new CloneDisk(file, bytes, mke2fs);
    }

    boolean limited() {
        return mke2fs != null;
    }

    /** Waits for mke2fs, failing with what it printed. */
    void awaitFormatted() throws IOException, InterruptedException {
        byte[] output = mke2fs.getInputStream().readAllBytes();
        if (mke2fs.waitFor() != 0) {
            throw new IOException("mke2fs could not format the sandbox's disk " + file + " (exit " + mke2fs.exitValue()
                    + "): " + new String(output, StandardCharsets.UTF_8).strip());
        }
        baselineBytes = allocatedBytes(file);
    }

    /** Ends mke2fs if it still runs (a clone that failed before its disk was needed). */
    void abandon() {
        if (mke2fs != null && mke2fs.isAlive()) {
            mke2fs.destroyForcibly();
            try {
                mke2fs.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long bytes() {
        return bytes;
    }

    /** Blocks the guest wrote, beyond what mke2fs wrote; 0 once the file is gone. */
    long writtenBytes() {
        return Math.max(0, allocatedBytes(file) - baselineBytes);
    }

    /** The file's allocated blocks (stat's %b, in %B-byte units), not its apparent size. */
    static long allocatedBytes(Path file) {
        try {
            Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
            stat.getOutputStream().close();
            String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (stat.waitFor() != 0) {
                return 0;
            }
            String[] f = out.split(" ");
            return Long.parseLong(f[0]) * Long.parseLong(f[1]);
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
