package io.drover.orchestrator.api;

import io.drover.orchestrator.job.IdempotencyConflictException;
import io.drover.orchestrator.spec.InvalidSpecException;
import jakarta.ws.rs.core.Response;
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
    public Response notFound(NotFoundException e) {
        return Problems.notFound(e.getMessage());
    }
}
