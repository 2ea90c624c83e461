package io.drover.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.http.ApiException;

/** An {@link ApiException} as lines for stderr: the problem's title and detail, then each field at fault. */
public final class ProblemText {
    private ProblemText() {
    }

    public static String of(ApiException e) {
        StringBuilder text = new StringBuilder("drover: ");
        JsonNode problem = e.problem().orElse(null);
        if (problem == null || !problem.isObject()) {
            text.append(e.getMessage());
        } else {
            text.append(problem.path("title").asText(e.getMessage()));
            if (problem.hasNonNull("status")) {
                text.append(" (").append(problem.get("status").asText()).append(')');
            }
            if (problem.hasNonNull("detail")) {
                text.append(": ").append(problem.get("detail").asText());
            }
            for (JsonNode error : problem.path("errors")) {
                text.append(System.lineSeparator()).append("  ").append(error.path("field").asText("?"))
                        .append(": ").append(error.path("message").asText(""));
            }
        }
        if (e instanceof ApiException.TokenRefused refused && refused.status() == 401) {
            text.append(System.lineSeparator())
                    .append("  (the token is --token, else DROVER_TOKEN, else <data dir>/admin-token of this machine)");
        }
        return text.toString();
    }
}
