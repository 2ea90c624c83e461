package io.drover.workers.llm;

import io.drover.persistence.attempt.AttemptTokens;
import java.util.Optional;

/** Finds who a bearer token belongs to; empty for an unknown, revoked or expired token. */
@FunctionalInterface
public interface CallerLookup {
    Optional<Caller> find(String token);

    /** Tokens of running attempts, found by their SHA-256 in the database (so any instance knows them). */
    static CallerLookup attempts(AttemptTokens tokens) {
        return token -> tokens.holder(GatewayTokens.sha256(token)).map(Caller.Attempt::new);
    }

    /** This lookup, then {@code other} when this one does not know the token. */
    default CallerLookup orElse(CallerLookup other) {
        return token -> {
            Optional<Caller> found = find(token);
            return found.isPresent() ? found : other.find(token);
        };
    }
}
