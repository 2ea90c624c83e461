package io.drover.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.output.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProgressTest {
    private static JobProgress at(Duration elapsed, long succeeded, long running, long pending) {
        var view = Json.parse("{\"state\": \"RUNNING\", \"subtasks\": 12, \"counts\": {\"PENDING\": " + pending
                + ", \"RUNNING\": " + running + ", \"SUCCEEDED\": " + succeeded + ", \"FAILED\": 1, \"CANCELLED\": 0}}");
        return JobWatch.look(7, view, elapsed, Optional.of(new BigDecimal("0.000412")), 0);
    }

    @Test
    void the_bar_shows_counts_rate_eta_and_cost_and_is_redrawn_in_place() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text));

        bar.update(at(Duration.ofSeconds(2), 5, 2, 4));

        assertThat(text.toString()).isEqualTo("\rjob 7 [############------------] 6/12  succeeded 5  failed 1  running 2"
                + "  pending 4  3.0/s  ETA 2.0s  $0.000412  RUNNING\033[K");
    }

    @Test
    void the_rate_counts_only_what_ended_since_following_began() {
        var view = Json.parse("{\"state\": \"RUNNING\", \"subtasks\": 10, \"counts\": {\"SUCCEEDED\": 6}}");

        JobProgress look = JobWatch.look(1, view, Duration.ofSeconds(2), Optional.empty(), 4);

        assertThat(look.rate()).isEqualTo(1.0);
        assertThat(look.eta()).contains(Duration.ofSeconds(4));
    }

    @Test
    void plain_lines_are_printed_on_change_at_most_every_few_seconds_and_at_the_end() {
        StringWriter text = new StringWriter();
        ProgressLines lines = new ProgressLines(new PrintWriter(text), Duration.ofSeconds(5));

        lines.update(at(Duration.ofSeconds(0), 0, 2, 9));
        lines.update(at(Duration.ofSeconds(1), 1, 2, 8)); // changed, but too soon
        lines.update(at(Duration.ofSeconds(6), 1, 2, 8));
        lines.update(at(Duration.ofSeconds(12), 1, 2, 8)); // nothing changed
        lines.end(at(Duration.ofSeconds(13), 11, 0, 0));

        assertThat(text.toString().lines()).hasSize(3).allMatch(l -> l.startsWith("job 7 RUNNING  "));
        assertThat(text.toString().lines().toList().get(2)).contains("12/12  succeeded 11  failed 1  elapsed 13.0s");
    }
}
