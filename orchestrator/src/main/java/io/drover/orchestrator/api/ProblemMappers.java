package io.drover.orchestrator.api;

import io.drover.orchestrator.job.IdempotencyConflictException;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.persistence.schedule.NameTakenException;
import io.drover.orchestrator.tenant.QuotaExceededException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the errors a request can cause onto problem responses. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return Problems.invalidSpec(e.errors());
    }

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return Problems.badParameter(e.parameter(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e) {
        return Problems.conflict(e.getMessage());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Problems.of(401, "unauthorized", "Unauthorized", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problems.notFound(e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return Problems.conflict(e.getMessage());
    }

    @ServerExceptionMapper
    public Response nameTaken(NameTakenException e) {
        return Problems.conflict(e.getMessage());
    }

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e) {
        return Response.fromResponse(Problems.of(429, e.type(), "Quota exceeded", e.getMessage(), List.of()))
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return Problems.of(400, "invalid-request", "Invalid request",
                e.errors().size() + " field(s) are invalid; nothing was stored", e.errors());
    }
}
