package io.drover.cli.command;

import io.drover.cli.UsageException;
import java.util.OptionalInt;

/** {@code ID} or {@code ID/INDEX}: a job, or one of its subtasks. */
record Ref(long job, OptionalInt index) {
    static Ref parse(String text) {
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 1) {
                return new Ref(Long.parseLong(parts[0]), OptionalInt.empty());
            }
            if (parts.length == 2) {
                return new Ref(Long.parseLong(parts[0]), OptionalInt.of(Integer.parseInt(parts[1])));
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("'" + text + "' is not a job ID or ID/INDEX (e.g. 12 or 12/3)");
    }

    String jobPath() {
        return "/jobs/" + job;
    }

    /** The subtask's path; a usage error when there is no index. */
    String subtaskPath(String what) {
        if (index.isEmpty()) {
            throw new UsageException(what + " needs ID/INDEX, e.g. " + job + "/0");
        }
        return jobPath() + "/subtasks/" + index.getAsInt();
    }
}
