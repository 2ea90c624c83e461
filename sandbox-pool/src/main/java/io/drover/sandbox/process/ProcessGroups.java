package io.drover.sandbox.process;

import java.io.IOException;

/** Signals to whole process groups: each command runs as the leader of its own group (setsid). */
final class ProcessGroups {
    private ProcessGroups() {
    }

    static void signal(long groupId, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + groupId)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not run kill(1) to send " + signal + " to group " + groupId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
