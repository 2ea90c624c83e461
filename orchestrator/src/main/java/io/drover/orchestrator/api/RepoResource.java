package io.drover.orchestrator.api;

import io.drover.orchestrator.schedule.Repos;
import io.drover.persistence.job.JobState;
import io.drover.persistence.repo.RepoStore;
import io.drover.orchestrator.auth.Callers;
import io.drover.persistence.repo.RepoRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Git repositories of committed job specs. See docs/git-specs.md. */
@Path("/api/v1/repos")
@Produces(MediaType.APPLICATION_JSON)
public class RepoResource {
    static final String DEFAULT_BRANCH = "main";
    static final String DEFAULT_PATH = ".drover/*.yaml";

    @Inject
    Repos repos;
    @Inject
    RepoStore store;
    @Inject
    Callers callers;

    /** Registers the repository and syncs it once; the body shows that first sync. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(RepoViews.NewRepo body) {
        if (body == null) {
            throw new BadParameterException("body", "a JSON object with url, and optionally branch, path and secret");
        }
        long id = repos.register(callers.tenant(), body.url(), body.branch() == null ? DEFAULT_BRANCH : body.branch(),
                body.path() == null ? DEFAULT_PATH : body.path(), body.secret());
        return Response.created(URI.create("/api/v1/repos/" + id)).entity(view(id)).build();
    }

    @GET
    public List<RepoViews.Repo> list() {
        String tenant = callers.tenant();
        return store.list().stream().filter(r -> r.tenant().equals(tenant))
                .map(r -> RepoViews.repo(r, store.specs(r.id()))).toList();
    }

    @GET
    @Path("{id}")
    public RepoViews.Repo get(@PathParam("id") long id) {
        return view(id);
    }

    @POST
    @Path("{id}/sync")
    public RepoViews.Repo sync(@PathParam("id") long id) {
        mine(id);
        repos.sync(id);
        return view(id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        mine(id);
        repos.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/jobs/{name}/run")
    public Response run(@PathParam("id") long id, @PathParam("name") String name) {
        mine(id);
        long jobId = repos.run(id, name);
        return Response.created(URI.create("/api/v1/jobs/" + jobId))
                .entity(new Views.Submitted(jobId, JobState.SUBMITTED.name())).build();
    }

    private RepoViews.Repo view(long id) {
        return RepoViews.repo(mine(id), store.specs(id));
    }

    /** The caller's repository {@code id}; another tenant's is not found, as if it did not exist. */
    private RepoRecord mine(long id) {
        RepoRecord repo = repos.find(id);
        if (!repo.tenant().equals(callers.tenant())) {
            throw new NotFoundException("repository " + id);
        }
        return repo;
    }
}
