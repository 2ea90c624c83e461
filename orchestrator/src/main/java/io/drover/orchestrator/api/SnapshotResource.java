package io.drover.orchestrator.api;

import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.snapshot.SnapshotRecord;
import io.drover.orchestrator.auth.Callers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Base snapshots: what setup has built, how big and how old each is, which jobs use it and which nodes hold it. */
@Path("/api/v1/snapshots")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {
    @Inject
    BaseSnapshotStore snapshots;
    @Inject
    BaseCopyStore copies;
    @Inject
    Callers callers;

    @GET
    public SnapshotViews.Listing list() {
        String tenant = callers.tenant();
        List<SnapshotRecord> records = snapshots.list().stream().filter(r -> r.tenant().equals(tenant)).toList();
        Map<String, List<BaseCopy>> byHash = copies.of(records.stream().map(SnapshotRecord::hash).toList());
        return new SnapshotViews.Listing(records.stream()
                .map(r -> SnapshotViews.of(r, byHash.getOrDefault(r.hash(), List.of()))).toList());
    }

    @GET
    @Path("{hash}")
    public SnapshotViews.Snapshot get(@PathParam("hash") String hash) {
        SnapshotRecord r = snapshots.find(hash).filter(s -> s.tenant().equals(callers.tenant())).orElseThrow(() -> new NotFoundException("snapshot " + hash));
        return SnapshotViews.of(r, copies.of(List.of(hash)).getOrDefault(hash, List.of()));
    }

}
