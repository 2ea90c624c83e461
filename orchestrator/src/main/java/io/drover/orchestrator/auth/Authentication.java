package io.drover.orchestrator.auth;

import io.drover.orchestrator.api.ApiRole;
import io.drover.orchestrator.api.Problems;
import io.drover.orchestrator.config.DroverConfig;
import io.drover.workers.llm.GatewayTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every {@code /api/} request needs a bearer token that covers what it does: reads take
 * {@link Role#READ}, every other method {@link Role#SUBMIT}, tokens and tenants {@link Role#ADMIN}.
 * One sandbox's own paths are the exception: they take that sandbox's token, checked by its
 * resource. {@code /q/health} stays open, {@code /q/metrics} unless {@code drover.auth.metrics-open}
 * is false. Answers 401 (no or unknown token) or 403 (a role too small) as problems.
 */
@ApplicationScoped
public class Authentication {
    /** Where the caller is kept on the request, for {@link Callers}. */
    static final String CALLER = "drover.caller";
    private static final Pattern ADMINISTRATION = Pattern.compile("/api/v1/(tokens|tenants)(/.*)?");

    @Inject
    Tokens tokens;
    @Inject
    DroverConfig config;

    void install(@Observes Router router) {
        router.route("/api/*").order(Integer.MIN_VALUE + 2).blockingHandler(this::check, false);
        if (!config.auth().metricsOpen()) {
            router.route("/q/metrics*").order(Integer.MIN_VALUE + 2).blockingHandler(this::check, false);
        }
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (ApiRole.ONE_SANDBOX.matcher(path).matches()) {
            ctx.next();
            return;
        }
        Optional<String> bearer = Optional.ofNullable(
                GatewayTokens.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
        if (bearer.isEmpty()) {
            refuse(ctx, 401, "unauthorized", "Unauthorized", "send a token: Authorization: Bearer <token>");
            return;
        }
        Optional<Caller> caller = tokens.authenticate(bearer.get());
        if (caller.isEmpty()) {
            refuse(ctx, 401, "unauthorized", "Unauthorized", "the token is unknown, expired or revoked");
            return;
        }
        Role needed = needed(ctx.request().method(), path);
        if (!caller.get().may(needed)) {
            refuse(ctx, 403, "forbidden", "Forbidden", "this token's role is " + name(caller.get().role())
                    + "; " + ctx.request().method() + " " + path + " takes " + name(needed));
            return;
        }
        ctx.put(CALLER, caller.get());
        ctx.next();
    }

    static Role needed(HttpMethod method, String path) {
        if (ADMINISTRATION.matcher(path).matches()) {
            return Role.ADMIN;
        }
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? Role.READ : Role.SUBMIT;
    }

    private static String name(Role role) {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void refuse(RoutingContext ctx, int status, String type, String title, String detail) {
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .end(Problems.json(status, type, title, detail, List.of()));
    }
}
