package io.drover.sandbox.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory and file helpers of the microvm driver. */
public final class VmFiles {
    private VmFiles() {
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Apparent size of a file, or of the regular files under a directory; 0 when absent. */
    static long sizeOf(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Runs a short host tool (qemu-img), failing with its output. */
    static void run(Path workDir, String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(String.join(" ", argv) + " exited with " + exit + ": "
                    + new String(output, java.nio.charset.StandardCharsets.UTF_8).trim());
        }
    }
}
