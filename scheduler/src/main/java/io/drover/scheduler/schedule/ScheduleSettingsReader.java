package io.drover.scheduler.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.schedule.Misfire;
import io.drover.persistence.schedule.Overlap;
import io.drover.persistence.schedule.ScheduleSettings;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Reads a spec's {@code schedule:} block. Cron syntax is Quartz's (seconds first, {@code ?} for
 * "no specific day"), because Quartz fires it; a Unix five-field expression is rejected with a hint.
 */
public final class ScheduleSettingsReader {
    private static final Set<String> KEYS = Set.of("cron", "timeZone", "overlap", "misfire", "suspended");

    /** Either settings, or the problems that prevent them; never both. */
    public record Result(Optional<ScheduleSettings> settings, List<FieldProblem> problems) {
    }

    private ScheduleSettingsReader() {
    }

    public static Result read(JsonNode node, String path) {
        List<FieldProblem> problems = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return failed(path, "must be a map with cron and optionally timeZone, overlap, misfire, suspended");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                problems.add(new FieldProblem(path + "." + name, "unknown field; expected one of " + String.join(", ", KEYS)));
            }
        }
        String zone = text(node, "timeZone", "UTC");
        TimeZone timeZone = null;
        try {
            timeZone = TimeZone.getTimeZone(ZoneId.of(zone));
        } catch (DateTimeException e) {
            problems.add(new FieldProblem(path + ".timeZone",
                    "unknown time zone " + zone + "; use an IANA id such as UTC, Europe/Paris or America/New_York"));
        }
        String cron = text(node, "cron", null);
        if (cron == null || cron.isBlank()) {
            problems.add(new FieldProblem(path + ".cron", "is required: a Quartz cron expression such as '0 0/5 * * * ?'"));
        } else {
            cronProblem(cron.trim(), timeZone).ifPresent(m -> problems.add(new FieldProblem(path + ".cron", m)));
        }
        Optional<Overlap> overlap = Overlap.parse(text(node, "overlap", "allow"));
        if (overlap.isEmpty()) {
            problems.add(new FieldProblem(path + ".overlap", "must be allow, forbid or replace"));
        }
        Optional<Misfire> misfire = Misfire.parse(text(node, "misfire", "fire-once"));
        if (misfire.isEmpty()) {
            problems.add(new FieldProblem(path + ".misfire", "must be fire-once or skip"));
        }
        JsonNode suspended = node.get("suspended");
        if (suspended != null && !suspended.isBoolean()) {
            problems.add(new FieldProblem(path + ".suspended", "must be true or false"));
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), problems);
        }
        return new Result(Optional.of(new ScheduleSettings(cron.trim(), zone, overlap.get(), misfire.get(),
                suspended != null && suspended.asBoolean())), List.of());
    }

    private static Optional<String> cronProblem(String cron, TimeZone zone) {
        int fields = cron.split("\\s+").length;
        if (fields == 5) {
            return Optional.of("looks like a five-field Unix cron; Quartz cron starts with seconds and has 6 or 7"
                    + " fields, e.g. '0 " + cron + "' with '?' in day-of-month or day-of-week");
        }
        try {
            CronExpression expression = new CronExpression(cron);
            if (zone != null) {
                expression.setTimeZone(zone);
                if (expression.getNextValidTimeAfter(new Date()) == null) {
                    return Optional.of("never fires again after now");
                }
            }
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of("not a valid Quartz cron expression (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            // Quartz throws unchecked errors for some malformed ranges instead of ParseException
            return Optional.of("not a valid Quartz cron expression (" + e.getMessage() + ")");
        }
    }

    private static String text(JsonNode node, String key, String defaultValue) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? defaultValue : value.asText();
    }

    private static Result failed(String field, String message) {
        return new Result(Optional.empty(), List.of(new FieldProblem(field, message)));
    }
}
