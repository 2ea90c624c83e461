package io.drover.orchestrator.sandbox;

import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.agent.SandboxRegistry;
import java.util.function.Supplier;

/** Lends attempts' sandboxes to their agents through the exec API ({@code /api/v1/sandboxes/{id}}). */
public final class LentSandboxes implements SandboxRegistry {
    private final SandboxSessions sessions;
    private final Supplier<String> apiUrl;

    /** @param apiUrl Drover's API as agents on this host reach it, e.g. {@code http://127.0.0.1:8080} */
    public LentSandboxes(SandboxSessions sessions, Supplier<String> apiUrl) {
        this.sessions = sessions;
        this.apiUrl = apiUrl;
    }

    @Override
    public Registration register(String driver, SandboxPool pool, Lease lease) {
        SandboxSessions.Session session = sessions.lend(driver, pool, lease);
        String url = apiUrl.get() + "/api/v1/sandboxes/" + session.id();
        return new Registration() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public String token() {
                return session.token();
            }

            @Override
            public void close() {
                sessions.close(session);
            }
        };
    }
}
