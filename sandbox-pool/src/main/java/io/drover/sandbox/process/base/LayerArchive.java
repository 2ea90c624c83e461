package io.drover.sandbox.process.base;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A base directory ({@code layer} and {@code base.properties}) as a tar stream, written and read by
 * GNU tar: it keeps what an overlay layer holds and the JDK cannot write (owners, modes, device
 * nodes for whiteouts, extended attributes such as overlay's opaque marks). Extraction takes only
 * those two members, and GNU tar refuses members that climb out with {@code ..} or absolute paths.
 */
final class LayerArchive {
    private static final List<String> MEMBERS = List.of("layer", "base.properties");
    private static final List<String> KEEP = List.of("--xattrs", "--xattrs-include=*", "--numeric-owner");

    private LayerArchive() {
    }

    static void write(Path baseDir, OutputStream out) throws IOException {
        Process tar = tar(baseDir, List.of("-cf", "-"), new ProcessBuilder().redirectInput(new File("/dev/null")));
        CompletableFuture<String> errors = drain(tar.getErrorStream());
        try (InputStream in = tar.getInputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            tar.destroyForcibly();
            throw e;
        }
        await(tar, errors, "pack " + baseDir);
    }

    static void read(InputStream in, Path into) throws IOException {
        Process tar = tar(into, List.of("--same-owner", "--same-permissions", "-xf", "-"),
                new ProcessBuilder().redirectOutput(ProcessBuilder.Redirect.DISCARD));
        CompletableFuture<String> errors = drain(tar.getErrorStream());
        try (OutputStream out = tar.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            tar.destroyForcibly();
            throw e;
        }
        await(tar, errors, "unpack into " + into);
    }

    /** GNU tar in {@code dir} on the base's two members, keeping what a layer holds. */
    private static Process tar(Path dir, List<String> mode, ProcessBuilder builder) throws IOException {
        List<String> command = new ArrayList<>(List.of("tar", "-C", dir.toString()));
        command.addAll(KEEP);
        command.addAll(mode);
        command.addAll(MEMBERS);
        return builder.command(command).start();
    }

    private static CompletableFuture<String> drain(InputStream err) {
        return CompletableFuture.supplyAsync(() -> {
            try (err) {
                return new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return e.getMessage();
            }
        });
    }

    private static void await(Process tar, CompletableFuture<String> errors, String what) throws IOException {
        try {
            if (!tar.waitFor(10, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IOException("tar did not " + what + " within 10 minutes");
            }
            if (tar.exitValue() != 0) {
                throw new IOException("tar could not " + what + " (exit " + tar.exitValue() + "): "
                        + errors.get(5, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while tar was to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("tar could not " + what, e);
        }
    }
}
