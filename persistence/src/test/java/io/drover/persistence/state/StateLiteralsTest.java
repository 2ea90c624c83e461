package io.drover.persistence.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.attempt.AttemptState;
import io.drover.persistence.job.JobState;
import io.drover.persistence.subtask.SubtaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every statement of the stores writes a job, subtask or attempt state, and the guard it moves
 * from, through the state types: no store spells a state out in its SQL. (Base snapshots have a
 * state machine of their own, in {@code snapshot}.)
 */
class StateLiteralsTest {
    private static final Path SOURCES = Path.of("src/main/java/io/drover/persistence");

    @Test
    void no_store_quotes_a_state_in_its_sql() throws IOException {
        Pattern quoted = Pattern.compile("'(" + Stream.of(JobState.values(), SubtaskState.values(), AttemptState.values())
                .flatMap(Stream::of).map(Enum::name).distinct().collect(Collectors.joining("|")) + ")'");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(SOURCES.resolve("state")) && !p.startsWith(SOURCES.resolve("snapshot")))
                    .toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = quoted.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(found).as("state literals outside the state types (use JobTransition, SubtaskTransition,"
                + " AttemptTransition or StateSql)").isEmpty();
    }

    @Test
    void the_scan_sees_the_stores() throws IOException {
        assertThat(Files.readString(SOURCES.resolve("subtask/SubtaskStore.java"))).contains("SubtaskTransition.CLAIM");
    }
}
