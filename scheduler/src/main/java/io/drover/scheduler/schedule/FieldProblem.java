package io.drover.scheduler.schedule;

/** One bad field of a spec, by path ({@code spec.schedule.cron}), and what is expected there. */
public record FieldProblem(String field, String message) {
}
