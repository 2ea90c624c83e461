package io.drover.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scheduler core is wired into Quarkus and Camel by the orchestrator; it never imports them itself. */
class FrameworkFreeTest {
    private static final List<String> FORBIDDEN = List.of("import io.quarkus", "import jakarta.", "import org.apache.camel");

    @Test
    void no_source_of_the_scheduler_core_imports_quarkus_jakarta_or_camel() throws IOException {
        Path sources = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String text = Files.readString(p);
                    return FORBIDDEN.stream().anyMatch(text::contains);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
            assertThat(offenders).isEmpty();
        }
        assertThat(sources.resolve("io/drover/scheduler/schedule/ScheduleFirer.java")).as("scanned the sources").exists();
    }
}
