package io.drover.orchestrator.auth;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The caller of the request being served, as {@link Authentication} found it. */
@ApplicationScoped
public class Callers {
    @Inject
    CurrentVertxRequest request;

    public Caller current() {
        Caller caller = request.getCurrent() == null ? null : request.getCurrent().get(Authentication.CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }

    /** The caller's tenant. */
    public String tenant() {
        return current().tenant();
    }
}
