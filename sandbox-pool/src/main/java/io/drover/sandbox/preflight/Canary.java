package io.drover.sandbox.preflight;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One real sandbox of the driver's default kind, created, run and destroyed: the last word of a
 * preflight, since a list of checks can miss what the machine lacks.
 */
public final class Canary {
    static final String WORD = "drover-canary";
    private static final int MAX_OUTPUT = 4_096;

    private Canary() {
    }

    /** Runs {@code echo drover-canary} in a fresh sandbox of {@code resources}, from the base of an image without setup. */
    public static Check run(SandboxDriver driver, String image, Resources resources, Duration timeout) {
        long start = System.nanoTime();
        Sandbox sandbox = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            sandbox = driver.clone(driver.prepareBase(BaseSpec.of(image)), resources);
            Command command = new Command("echo " + WORD, Map.of("PATH", "/usr/bin:/bin"), timeout,
                    (b, o, l) -> append(output, b, o, l), (b, o, l) -> append(output, b, o, l));
            ExecResult result = driver.exec(sandbox, command).await();
            String said = output.toString(StandardCharsets.UTF_8).strip();
            if (!result.succeeded() || !said.equals(WORD)) {
                return Check.failed("canary", "a sandbox ran 'echo " + WORD + "' and ended " + result.termination()
                        + " with exit code " + result.exitCode() + (said.isEmpty() ? "" : ", printing: " + said));
            }
            return Check.passed("canary", "a sandbox was created, ran a command and was destroyed in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        } catch (SandboxException | RuntimeException e) {
            return Check.failed("canary", "a sandbox could not be created and run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.failed("canary", "interrupted");
        } finally {
            if (sandbox != null) {
                driver.destroy(sandbox);
            }
        }
    }

    private static void append(ByteArrayOutputStream out, byte[] bytes, int offset, int length) {
        synchronized (out) {
            out.write(bytes, offset, Math.min(length, Math.max(0, MAX_OUTPUT - out.size())));
        }
    }
}
