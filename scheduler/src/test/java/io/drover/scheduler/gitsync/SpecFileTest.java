package io.drover.scheduler.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecFileTest {

    @Test
    void each_document_knows_its_first_line_and_the_line_of_each_field() {
        String text = """
                metadata: {name: one}
                spec:
                  task: {command: echo}
                ---
                # a comment
                metadata:
                  name: two
                spec:
                  fanout:
                    items:
                      - a
                      - b
                  schedule:
                    cron: "nonsense"
                """;

        SpecFile file = SpecFile.parse(".drover/jobs.yaml", text);

        assertThat(file.syntaxError()).isEmpty();
        assertThat(file.documents()).hasSize(2);
        assertThat(file.documents().get(0).line()).isEqualTo(1);
        assertThat(file.documents().get(0).lineOf("spec.task.command")).isEqualTo(3);
        SpecDocument two = file.documents().get(1);
        assertThat(two.tree().at("/metadata/name").asText()).isEqualTo("two");
        assertThat(two.lineOf("metadata.name")).isEqualTo(7);
        assertThat(two.lineOf("spec.fanout.items[1]")).isEqualTo(12);
        assertThat(two.lineOf("spec.schedule.cron")).isEqualTo(14);
        assertThat(two.lineOf("spec.task")).as("a missing field: the line of its parent").isEqualTo(8);
    }

    @Test
    void a_file_that_is_not_yaml_has_no_documents_and_a_problem_at_its_line() {
        SpecFile file = SpecFile.parse("bad.yaml", "metadata: {name: x}\nspec:\n  task: [unclosed\n  other: 1\n");

        assertThat(file.documents()).isEmpty();
        assertThat(file.syntaxError()).get().satisfies(p -> {
            assertThat(p.path()).isEqualTo("bad.yaml");
            assertThat(p.line()).isBetween(3, 5);
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void empty_documents_are_ignored() {
        assertThat(SpecFile.parse("x.yaml", "---\nmetadata: {name: a}\n---\n").documents()).hasSize(1);
    }
}
