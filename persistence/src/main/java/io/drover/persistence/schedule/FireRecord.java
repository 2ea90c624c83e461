package io.drover.persistence.schedule;

import java.time.Instant;

/** One recorded fire of a schedule; {@code jobId} is set when a job was started. */
public record FireRecord(long id, long scheduleId, FireTrigger trigger, Instant scheduledAt, Instant firedAt,
        FireOutcome outcome, String reason, Long jobId, String instance) {
}
