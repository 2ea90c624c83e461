package io.drover.orchestrator.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Requests over {@code quarkus.http.limits.max-body-size} get a 413 problem naming the limit,
 * rather than the HTTP layer's empty 413: a body declared too large is refused before it is read,
 * and one that grows too large while it streams in is refused when it crosses the limit.
 */
@ApplicationScoped
public class BodyLimit {
    static final String SETTING = "quarkus.http.limits.max-body-size";

    @ConfigProperty(name = SETTING, defaultValue = "10240K")
    MemorySize limit;
    private BodyHandler streamed;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseDeclaredTooLarge);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::describeTooLarge);
    }

    private void refuseDeclaredTooLarge(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // Streamed in without a length: read it here, so that crossing the limit fails this route with 413.
            if (streamed == null) {
                streamed = BodyHandler.create(false).setBodyLimit(limit.asLongValue());
            }
            streamed.handle(ctx);
            return;
        }
        try {
            if (declared != null && Long.parseLong(declared.strip()) > limit.asLongValue()) {
                answer(ctx, Long.parseLong(declared.strip()));
                return;
            }
        } catch (NumberFormatException e) {
            // Not a number: the HTTP layer answers 400 itself.
        }
        ctx.next();
    }

    private void describeTooLarge(RoutingContext ctx) {
        if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
            answer(ctx, -1);
        } else {
            ctx.next();
        }
    }

    private void answer(RoutingContext ctx, long declared) {
        String detail = "the request body " + (declared >= 0 ? "of " + declared + " bytes " : "") + "is over the limit of "
                + limit.asLongValue() + " bytes (" + SETTING + ")";
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Problems.json(413, "body-too-large", "Request body too large", detail, List.of()));
    }
}
