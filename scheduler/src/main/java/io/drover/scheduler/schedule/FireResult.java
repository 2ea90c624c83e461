package io.drover.scheduler.schedule;

import io.drover.persistence.schedule.FireOutcome;
import java.util.Optional;

/** What one fire did; empty outcome when the schedule no longer exists. */
public record FireResult(Optional<FireOutcome> outcome, String reason, Long jobId) {
    static FireResult gone() {
        return new FireResult(Optional.empty(), "the schedule no longer exists", null);
    }
}
