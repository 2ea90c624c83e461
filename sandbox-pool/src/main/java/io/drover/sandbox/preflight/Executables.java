package io.drover.sandbox.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Programs as this process finds them: on its own PATH, the one its child processes search too.
 * A tool present on the machine but not on Drover's PATH is missing for Drover.
 */
public final class Executables {
    private static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private Executables() {
    }

    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
        return Arrays.stream(path.split(":")).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * The first line a program prints when asked for its version, or empty when it cannot be run
     * or does not answer within a few seconds.
     */
    public static Optional<String> version(Path program, String flag) {
        try {
            Process process = new ProcessBuilder(program.toString(), flag).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
