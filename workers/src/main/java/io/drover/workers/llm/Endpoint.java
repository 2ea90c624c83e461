package io.drover.workers.llm;

/** The calls the gateway forwards; anything else is answered 404 without reaching the upstream. */
enum Endpoint {
    MODELS("GET", "models"),
    CHAT_COMPLETIONS("POST", "chat/completions"),
    EMBEDDINGS("POST", "embeddings");

    static final String PREFIX = "/llm/v1/";

    final String method;
    /** The path under the prefix, which is also the path under the upstream's base URL. */
    final String path;

    Endpoint(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static Endpoint of(String method, String requestPath) {
        for (Endpoint e : values()) {
            if (e.method.equals(method) && requestPath.equals(PREFIX + e.path)) {
                return e;
            }
        }
        return null;
    }

    /** The value of the {@code endpoint} metrics tag. */
    String tag() {
        return path;
    }
}
