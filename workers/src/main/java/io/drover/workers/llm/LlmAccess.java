package io.drover.workers.llm;

import java.util.Map;

/** Gives an attempt its gateway token for as long as it runs, and the environment that names it. */
@FunctionalInterface
public interface LlmAccess {
    LlmAccess NONE = attemptId -> Grant.NONE;

    Grant grant(long attemptId);

    /** An attempt's access; {@link #close()} revokes the token. */
    interface Grant extends AutoCloseable {
        Grant NONE = new Grant() {
            @Override
            public Map<String, String> env(boolean onHost) {
                return Map.of();
            }

            @Override
            public void close() {
            }
        };

        /**
         * {@code DROVER_TOKEN} and {@code OPENAI_API_KEY} (the token), {@code DROVER_LLM_URL} and
         * {@code OPENAI_BASE_URL} (the gateway as seen from the host or from inside a sandbox).
         */
        Map<String, String> env(boolean onHost);

        @Override
        void close();
    }
}
