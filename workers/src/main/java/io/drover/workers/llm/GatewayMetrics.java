package io.drover.workers.llm;

/** What the gateway tells a metrics registry; model names are already bounded by the caller. */
public interface GatewayMetrics {
    GatewayMetrics NONE = new GatewayMetrics() {
        @Override
        public void call(String endpoint, int status, long nanos) {
        }

        @Override
        public void tokens(String model, String kind, long tokens) {
        }

        @Override
        public void refused(String reason) {
        }
    };

    /** One call answered, with its status and its time from request to the end of the response. */
    void call(String endpoint, int status, long nanos);

    /** @param kind {@code input}, {@code cached input} or {@code output} */
    void tokens(String model, String kind, long tokens);

    /** @param reason {@code unauthorized}, {@code budget}, {@code not-configured} */
    void refused(String reason);
}
