package io.drover.orchestrator.cli;

import io.drover.persistence.job.JobRecord;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskView;
import io.drover.workers.task.Items;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The text {@code ./drover run} prints: progress lines, one line per subtask, and a summary. */
final class RunReport {
    private RunReport() {
    }

    static String progress(Duration elapsed, JobRecord job, Map<SubtaskState, Long> counts) {
        long total = job.subtaskCount() == null ? 0 : job.subtaskCount();
        long done = counts.get(SubtaskState.SUCCEEDED) + counts.get(SubtaskState.FAILED)
                + counts.get(SubtaskState.CANCELLED);
        return String.format("[%6.1fs] %-9s %d/%d done  (%d running, %d pending, %d succeeded, %d failed)",
                elapsed.toMillis() / 1000.0, job.state(), done, total, counts.get(SubtaskState.RUNNING),
                counts.get(SubtaskState.PENDING), counts.get(SubtaskState.SUCCEEDED), counts.get(SubtaskState.FAILED));
    }

    static String subtaskHeader() {
        return String.format("%6s  %-40s  %-9s  %4s  %9s", "INDEX", "ITEM", "STATE", "EXIT", "DURATION");
    }

    static String subtask(SubtaskView s) {
        Map<String, String> values = Items.values(s.itemJson());
        String item = values.size() == 1 && values.containsKey("item") ? values.get("item")
                : values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        if (item.length() > 40) {
            item = item.substring(0, 37) + "...";
        }
        String exit = s.exitCode() == null ? "-" : s.exitCode().toString();
        String duration = s.durationMs() == null ? "-" : String.format("%.2fs", s.durationMs() / 1000.0);
        return String.format("%6d  %-40s  %-9s  %4s  %9s", s.index(), item, s.state(), exit, duration);
    }

    static String summary(JobRecord job, Map<SubtaskState, Long> counts, Duration wall) {
        String byState = counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return String.format("Job %d %s %s: %s subtasks (%s); wall time %.2fs%s", job.id(), job.name(), job.state(),
                job.subtaskCount() == null ? 0 : job.subtaskCount(), byState.isEmpty() ? "none" : byState,
                wall.toMillis() / 1000.0, job.error() == null ? "" : "\n  error: " + job.error());
    }
}
