package io.drover.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.ExitCode;
import java.util.Optional;

/** Why a request got no usable answer; each kind has its own exit code. */
public abstract sealed class ApiException extends RuntimeException
        permits ApiException.Unreachable, ApiException.Refused {

    ApiException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract int exitCode();

    /** The answer's RFC 9457 problem body, when there was an answer with one. */
    public Optional<JsonNode> problem() {
        return Optional.empty();
    }

    /** No HTTP answer at all: connection refused, no route, a timeout. */
    public static final class Unreachable extends ApiException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.UNREACHABLE_OR_UNAUTHORIZED;
        }
    }

    /** 401 or 403: the token is missing, unknown, expired, revoked, or its role does not cover the request. */
    public static final class TokenRefused extends Refused {
        public TokenRefused(String method, String path, int status, JsonNode problem) {
            super(method, path, status, problem);
        }

        @Override
        public int exitCode() {
            return ExitCode.UNREACHABLE_OR_UNAUTHORIZED;
        }
    }

    /** Any other answer that is not 2xx. */
    public static sealed class Refused extends ApiException permits TokenRefused {
        private final int status;
        private final JsonNode problem;

        public Refused(String method, String path, int status, JsonNode problem) {
            super(method + " " + path + " answered " + status, null);
            this.status = status;
            this.problem = problem;
        }

        public int status() {
            return status;
        }

        @Override
        public Optional<JsonNode> problem() {
            return Optional.ofNullable(problem);
        }

        @Override
        public int exitCode() {
            return ExitCode.REFUSED;
        }
    }
}
