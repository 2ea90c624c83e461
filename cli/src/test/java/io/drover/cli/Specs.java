package io.drover.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Job specs the tests submit, written to files as a user would keep them. */
final class Specs {
    static final String SUCCEEDS = """
            apiVersion: drover/v1
            kind: Job
            metadata: {name: cli-succeeds}
            spec:
              fanout: {items: [alpha, bravo, charlie]}
              task: {command: 'echo "hello ${item}"', timeout: 1m}
            """;
    static final String FAILS = """
            apiVersion: drover/v1
            kind: Job
            metadata: {name: cli-fails}
            spec:
              fanout: {items: [one, two]}
              task: {command: 'echo "broken ${item}"; exit 3', timeout: 1m}
            """;
    /** Two bad fields: the task has no command, and it sets a variable that is Drover's to set. */
    static final String INVALID = """
            {"apiVersion": "drover/v1", "kind": "Job", "metadata": {"name": "cli-invalid"},
             "spec": {"fanout": {"items": ["a"]}, "task": {"env": {"DROVER_X": "1"}}}}
            """;

    private Specs() {
    }

    static Path write(Path dir, String name, String spec) {
        try {
            return Files.writeString(dir.resolve(name), spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
