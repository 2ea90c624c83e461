package io.drover.sandbox;

import java.time.Duration;
import java.util.Map;

/**
 * A shell command to run in a sandbox.
 *
 * @param script  run by {@code bash -c}
 * @param env     the whole environment of the command: nothing is inherited from Drover's
 * @param timeout after which the command and everything it started are killed
 * @param stdout  receives standard output; when {@code stderr} is the same sink, both streams
 *                arrive through one pipe, in the order the command wrote them
 */
public record Command(String script, Map<String, String> env, Duration timeout, OutputSink stdout, OutputSink stderr) {
    public Command {
        env = Map.copyOf(env);
    }
}
