package io.drover.orchestrator.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker client (Debian's docker.io, matching its engine), one command at a time. */
final class Docker {
    private static final String CLIENT = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";

    private Docker() {
    }

    /** Empty when an engine answers, otherwise why not. */
    static String unreachable() {
        try {
            Result r = exec(30, List.of("info", "--format", "{{.ServerVersion}}"));
            return r.code() == 0 ? "" : r.output().strip();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static String run(List<String> args) throws IOException {
        return run(600, args);
    }

    /** Runs {@code docker args}; a non-zero exit fails with the command and its output. */
    static String run(long timeoutSeconds, List<String> args) throws IOException {
        Result r = exec(timeoutSeconds, args);
        if (r.code() != 0) {
            throw new IOException("docker " + String.join(" ", args) + " exited " + r.code() + ": " + r.output());
        }
        return r.output().strip();
    }

    static boolean imageExists(String image) throws IOException {
        return exec(30, List.of("image", "inspect", image)).code() == 0;
    }

    static Result exec(long timeoutSeconds, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(CLIENT));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("docker " + String.join(" ", args) + " did not end in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: docker " + String.join(" ", args), e);
        }
    }

    record Result(int code, String output) {
    }
}
