package io.drover.orchestrator.api;

import io.drover.orchestrator.cost.CostReport;
import io.drover.orchestrator.cost.CostReports;
import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobOrigin;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.routes.CamelJobEvents;
import io.drover.orchestrator.spec.SpecParser;
import io.drover.persistence.Page;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.subtask.SubtaskView;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.orchestrator.auth.Callers;
import io.drover.orchestrator.tenant.Quotas;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;

@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    @Inject
    JobSubmission submission;
    @Inject
    JobStore jobs;
    @Inject
    SubtaskStore subtasks;
    @Inject
    JobCompletion completion;
    @Inject
    RunningAttempts running;
    @Inject
    CamelJobEvents events;
    @Inject
    CostReports costs;
    @Inject
    LogAccess logs;
    @Inject
    Callers callers;
    @Inject
    Quotas quotas;

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response submit(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        boolean json = contentType != null && contentType.toLowerCase().contains("json");
        Optional<String> key = Optional.ofNullable(idempotencyKey).filter(k -> !k.isBlank());
        if (key.isPresent() && key.get().length() > 255) {
            throw new BadParameterException("Idempotency-Key", "must be at most 255 characters");
        }
        String tenant = callers.tenant();
        quotas.checkSubmitRate(tenant);
        JobSubmission.Submitted submitted = submission.submit(SpecParser.parse(body, json), JobOrigin.of("rest", tenant),
                key);
        URI location = URI.create("/api/v1/jobs/" + submitted.id());
        if (!submitted.created()) {
            return Response.ok(new Views.Submitted(submitted.id(), job(submitted.id()).state().name()))
                    .location(location).build();
        }
        return Response.created(location).entity(new Views.Submitted(submitted.id(), JobState.SUBMITTED.name())).build();
    }

    @GET
    public Views.Page<Views.Job> list(@QueryParam("state") String state, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        Page<JobRecord> page = jobs.list(callers.tenant(), Params.state(state, JobState.class), Params.limit(limit, 50, 500),
                Params.cursor(cursor));
        return new Views.Page<>(page.items().stream().map(r -> Views.job(r, null)).toList(),
                page.nextCursor().orElse(null));
    }

    @GET
    @Path("{id}")
    public Views.Job get(@PathParam("id") long id) {
        return Views.job(job(id), jobs.counts(id));
    }

    /** What the job cost so far, by dimension and subtask, beside what other billing would have charged. */
    @GET
    @Path("{id}/cost")
    public CostReport cost(@PathParam("id") long id) {
        job(id);
        return costs.of(id).orElseThrow(() -> new NotFoundException("job " + id));
    }

    @GET
    @Path("{id}/subtasks")
    public Views.Page<Views.Subtask> subtasks(@PathParam("id") long id, @QueryParam("state") String state,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        job(id);
        Page<SubtaskView> page = subtasks.list(id, Params.state(state, SubtaskState.class),
                Params.limit(limit, 100, 1000), Params.cursor(cursor));
        return new Views.Page<>(page.items().stream().map(Views::subtask).toList(), page.nextCursor().orElse(null));
    }

    @GET
    @Path("{id}/subtasks/{index}")
    public Views.Subtask subtask(@PathParam("id") long id, @PathParam("index") int index) {
        return Views.subtask(subtaskView(id, index));
    }

    @GET
    @Path("{id}/subtasks/{index}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public Response log(@PathParam("id") long id, @PathParam("index") int index, @Context HttpHeaders headers,
            @Context UriInfo uri) throws InterruptedException {
        subtaskView(id, index);
        return logs.serve(id, index, headers, uri);
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        JobRecord job = job(id);
        if (!jobs.cancel(id)) {
            return Problems.conflict("job " + id + " has already ended " + job.state() + " and cannot be cancelled");
        }
        running.cancelJob(id);
        completion.subtaskFinished(id);
        return Response.accepted(new Views.Submitted(id, job(id).state().name())).build();
    }

    /** Runs the failed and cancelled subtasks of a job again (new attempts of the same subtasks). */
    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("id") long id) {
        job(id);
        int again = subtasks.retry(id, Optional.empty());
        if (again == 0) {
            return Problems.conflict("job " + id + " has no failed or cancelled subtask to retry");
        }
        events.wake();
        return Response.accepted(new Views.Retried(id, again)).build();
    }

    @POST
    @Path("{id}/subtasks/{index}/retry")
    public Response retrySubtask(@PathParam("id") long id, @PathParam("index") int index) {
        SubtaskView view = subtaskView(id, index);
        if (subtasks.retry(id, Optional.of(index)) == 0) {
            return Problems.conflict("subtask " + index + " of job " + id + " is " + view.state()
                    + "; only FAILED or CANCELLED subtasks can be retried");
        }
        events.wake();
        return Response.accepted(new Views.Retried(id, 1)).build();
    }

    @POST
    @Path("{id}/subtasks/{index}/cancel")
    public Response cancelSubtask(@PathParam("id") long id, @PathParam("index") int index) {
        SubtaskView view = subtaskView(id, index);
        Optional<SubtaskState> state = subtasks.cancel(id, index);
        if (state.isEmpty()) {
            return Problems.conflict("subtask " + index + " of job " + id + " has already ended " + view.state());
        }
        running.cancelSubtask(view.id());
        completion.subtaskFinished(id);
        return Response.accepted(Views.subtask(subtaskView(id, index))).build();
    }

    /** The caller's job {@code id}; another tenant's is not found, as if it did not exist. */
    private JobRecord job(long id) {
        String tenant = callers.tenant();
        return jobs.find(id).filter(j -> j.tenant().equals(tenant))
                .orElseThrow(() -> new NotFoundException("job " + id));
    }

    private SubtaskView subtaskView(long id, int index) {
        job(id);
        return subtasks.find(id, index).orElseThrow(() -> new NotFoundException("subtask " + index + " of job " + id));
    }
}
