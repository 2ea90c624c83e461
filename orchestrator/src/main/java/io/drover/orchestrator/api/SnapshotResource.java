package io.drover.orchestrator.api;

import io.drover.persistence.snapshot.BaseSnapshotStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Base snapshots: what setup has built, how big and how old each is, and which jobs use it. */
@Path("/api/v1/snapshots")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {
    @Inject
    BaseSnapshotStore snapshots;

    @GET
    public SnapshotViews.Listing list() {
        return new SnapshotViews.Listing(snapshots.list().stream().map(SnapshotViews::of).toList());
    }

    @GET
    @Path("{hash}")
    public SnapshotViews.Snapshot get(@PathParam("hash") String hash) {
        return snapshots.find(hash).map(SnapshotViews::of)
                .orElseThrow(() -> new NotFoundException("snapshot " + hash));
    }

}
