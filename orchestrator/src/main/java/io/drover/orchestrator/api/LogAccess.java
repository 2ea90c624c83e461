package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Owner;
import io.drover.orchestrator.cluster.Owners;
import io.drover.persistence.attempt.AttemptLogs;
import io.drover.persistence.attempt.LogLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A subtask's full log, which is a file on the disk of the node whose worker ran its latest
 * attempt: served here when this instance is on that node, forwarded to the instance that ran the
 * attempt otherwise, and a 410 problem when that instance is gone (the tail is still in the database).
 */
@ApplicationScoped
public class LogAccess {
    @Inject
    AttemptLogs logs;
    @Inject
    Owners owners;
    @Inject
    Forwarding forwarding;

    Response serve(long job, int index, HttpHeaders headers, UriInfo uri) throws InterruptedException {
        LogLocation log = logs.latest(job, index).orElseThrow(() -> new NotFoundException("a log for subtask " + index
                + " of job " + job + " (it has not run yet)"));
        Owner owner = owners.of(log.owner());
        if (owner instanceof Owner.Self || owners.self().node().equals(log.node())) {
            Path file = Path.of(log.path());
            if (!Files.isReadable(file)) {
                return Problems.notHere("log file " + file + " of subtask " + index + " of job " + job
                        + " is no longer on node " + owners.self().node() + "; the subtask's outputTail has its end");
            }
            return Response.ok(file.toFile(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        }
        String tail = "the end of its output is still in outputTail of GET /api/v1/jobs/" + job + "/subtasks/" + index;
        if (owner instanceof Owner.Gone gone) {
            return Problems.ownerGone("the full log of subtask " + index + " of job " + job + " is on the disk of "
                    + gone.described() + "; " + tail);
        }
        String forwardedBy = headers.getHeaderString(Forwarding.FORWARDED_BY);
        if (forwardedBy != null) {
            return Problems.notHere("the log of subtask " + index + " of job " + job + " is on instance " + log.owner()
                    + ", not on this one; a request forwarded by " + forwardedBy + " is not forwarded again");
        }
        return forwarding.forward(((Owner.Live) owner).instance(), "GET", SandboxAccess.pathAndQuery(uri), headers,
                null);
    }
}
