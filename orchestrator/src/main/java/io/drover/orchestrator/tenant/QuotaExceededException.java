package io.drover.orchestrator.tenant;

import java.time.Duration;

/**
 * A tenant's quota refuses the request: answered 429 with {@code Retry-After}.
 *
 * @param type       the problem type: {@code submit-rate}, {@code sandbox-quota} or {@code monthly-budget}
 * @param retryAfter when trying again may succeed
 */
public class QuotaExceededException extends RuntimeException {
    private final String type;
    private final Duration retryAfter;

    public QuotaExceededException(String type, String detail, Duration retryAfter) {
        super(detail);
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public String type() {
        return type;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
