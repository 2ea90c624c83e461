package io.drover.orchestrator.api;

import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.SpecParser;
import io.drover.persistence.Page;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.subtask.SubtaskView;
import io.drover.workers.attempt.RunningAttempts;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;

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

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response submit(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        boolean json = contentType != null && contentType.toLowerCase().contains("json");
        long id = submission.submit(SpecParser.parse(body, json), "rest");
        return Response.created(URI.create("/api/v1/jobs/" + id))
                .entity(new Views.Submitted(id, JobState.SUBMITTED.name())).build();
    }

    @GET
    public Views.Page<Views.Job> list(@QueryParam("state") String state, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        Page<JobRecord> page = jobs.list(Params.state(state, JobState.class), Params.limit(limit, 50, 500),
                Params.cursor(cursor));
        return new Views.Page<>(page.items().stream().map(r -> Views.job(r, null)).toList(),
                page.nextCursor().orElse(null));
    }

    @GET
    @Path("{id}")
    public Views.Job get(@PathParam("id") long id) {
        return Views.job(job(id), jobs.counts(id));
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
    public Response log(@PathParam("id") long id, @PathParam("index") int index) {
        SubtaskView view = subtaskView(id, index);
        if (view.logPath() == null) {
            throw new NotFoundException("a log for subtask " + index + " of job " + id + " (it has not run yet)");
        }
        java.nio.file.Path file = Paths.get(view.logPath());
        if (!Files.isReadable(file)) {
            throw new NotFoundException("log file " + file + " on this server (it may have been written by another"
                    + " instance; the subtask listing shows its tail)");
        }
        return Response.ok(file.toFile(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
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

    private JobRecord job(long id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("job " + id));
    }

    private SubtaskView subtaskView(long id, int index) {
        job(id);
        return subtasks.find(id, index).orElseThrow(() -> new NotFoundException("subtask " + index + " of job " + id));
    }
}
