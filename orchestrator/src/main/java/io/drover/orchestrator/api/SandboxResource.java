package io.drover.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.snapshot.SnapshotRecord;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.orchestrator.sandbox.ExecEvents;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.orchestrator.spec.Durations;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.NetworkField;
import io.drover.orchestrator.spec.SecretFields;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.Usage;
import io.drover.sandbox.secret.SecretRef;
import io.drover.workers.secret.SecretValues;
import io.drover.orchestrator.config.DroverConfig;
import io.drover.workers.attempt.TailBuffer;
import io.drover.workers.sandbox.Drivers;
import io.drover.orchestrator.auth.Callers;
import io.drover.orchestrator.tenant.Quotas;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sandboxes as tools: open one, exec commands in it (it stands by between them), close it. Any
 * replica serves any sandbox ({@link SandboxAccess} forwards to its owner), and a replica that
 * cannot run the driver asked for opens the sandbox on a worker that can ({@link SandboxHosts}).
 */
@Path("/api/v1/sandboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SandboxResource {
    /** Output kept per stream and exec; beyond it the start is dropped. */
    static final int OUTPUT_LIMIT = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SandboxSessions sessions;
    @Inject
    DroverConfig config;
    @Inject
    BaseSnapshotStore snapshots;
    @Inject
    Drivers drivers;
    @Inject
    SecretValues secrets;
    @Inject
    SpecValidator validator;
    @Inject
    SandboxAccess access;
    @Inject
    SandboxHosts hosts;
    @Inject
    Callers callers;
    @Inject
    Quotas quotas;

    public record Opened(String id, String token, String driver, String state, String base) {
    }

    public record Executed(int exitCode, String termination, String stdout, String stderr, long durationMs) {
    }

    public record Status(String id, String driver, String state, String base, long activeMs, long standbyMs,
            Long cpuMs, long memoryLimitBytes, Long memoryPeakBytes, Long diskBytes) {
    }

    @POST
    public Response open(JsonNode body, @Context HttpHeaders headers, @Context UriInfo uri)
            throws InterruptedException {
        String tenant = callers.tenant();
        JsonNode source = body == null ? NullNode.getInstance() : body;
        if (source.hasNonNull("snapshot")) {
            source = fromSnapshot(source, tenant);
        }
        SandboxRequest request = SandboxRequest.read(source, config.spec().defaultDriver(),
                config.sandbox().allowHostNetwork(), drivers.networked()).forTenant(tenant);
        checkSetupSecrets(request, tenant);
        quotas.checkSandboxes(tenant);
        if (drivers.unavailable(request.driver()).isPresent()) {
            Optional<Response> elsewhere = hosts.open(request.driver(), bytes(body), headers, uri);
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
        }
        try {
            SandboxSessions.Session s = sessions.open(request.driver(), request.base(), request.resources(),
                    request.standbyAfter());
            return Response.created(URI.create("/api/v1/sandboxes/" + s.id()))
                    .entity(new Opened(s.id(), s.token(), s.driver(), s.lease().state().name(),
                            s.lease().sandbox().base().hash())).build();
        } catch (SandboxException e) {
            return Problems.of(422, "sandbox-failed", "The sandbox could not be created", e.getMessage(), List.of());
        }
    }

    /**
     * Runs a command and answers when it ends, or with {@code Accept: application/x-ndjson}
     * streams its output as it comes (see {@link StreamedExec}).
     */
    @POST
    @Path("{id}/exec")
    @Produces({MediaType.APPLICATION_JSON, StreamedExec.MEDIA_TYPE})
    public Response exec(@PathParam("id") String id, @HeaderParam(HttpHeaders.ACCEPT) String accept, JsonNode body,
            @Context HttpHeaders headers, @Context UriInfo uri) throws InterruptedException {
        return access.serve(id, headers, uri, "POST", bytes(body), session -> exec(session, accept, body));
    }

    private Response exec(SandboxSessions.Session session, String accept, JsonNode body) throws InterruptedException {
        ExecRequest request = ExecRequest.read(body == null ? NullNode.getInstance() : body);
        if (accept != null && accept.contains(StreamedExec.MEDIA_TYPE)) {
            return streamed(session, request);
        }
        TailBuffer stdout = new TailBuffer(OUTPUT_LIMIT);
        TailBuffer stderr = new TailBuffer(OUTPUT_LIMIT);
        try {
            ExecResult result = sessions.exec(session, request.command(stdout, stderr));
            return Response.ok(new Executed(result.exitCode(), result.termination().name(), stdout.text(), stderr.text(),
                    result.wallTime().toMillis())).build();
        } catch (SandboxException e) {
            return Problems.of(422, "sandbox-failed", "The command could not run", e.getMessage(), List.of());
        }
    }

    private Response streamed(SandboxSessions.Session session, ExecRequest request) {
        ExecEvents events = new ExecEvents();
        try {
            Execution execution = sessions.start(session, request.command(events.stdout(), events.stderr()));
            return Response.ok(new StreamedExec(execution, events), StreamedExec.MEDIA_TYPE).build();
        } catch (SandboxException e) {
            return Problems.of(422, "sandbox-failed", "The command could not run", e.getMessage(), List.of());
        }
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri)
            throws InterruptedException {
        return access.serve(id, headers, uri, "GET", null, s -> Response.ok(status(s)).build());
    }

    private Status status(SandboxSessions.Session s) {
        Usage u = s.pool().driver().usage(s.lease().sandbox());
        sessions.seen(s);
        return new Status(s.id(), s.driver(), s.lease().state().name(), s.lease().sandbox().base().hash(),
                u.activeTime().toMillis(), u.standbyTime().toMillis(), u.cpuTime().map(Duration::toMillis).orElse(null),
                u.memoryLimitBytes(), u.memoryPeakBytes().isPresent() ? u.memoryPeakBytes().getAsLong() : null,
                u.diskBytes().isPresent() ? u.diskBytes().getAsLong() : null);
    }

    @DELETE
    @Path("{id}")
    public Response close(@PathParam("id") String id, @Context HttpHeaders headers, @Context UriInfo uri)
            throws InterruptedException {
        return access.serve(id, headers, uri, "DELETE", null, s -> {
            sessions.close(s);
            return Response.noContent().build();
        });
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return body == null ? null : JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON body is written again", e);
        }
    }

    /** {"snapshot": hash} stands for the image, setup and driver the base was recorded with. */
    private JsonNode fromSnapshot(JsonNode body, String tenant) {
        String hash = body.get("snapshot").asText();
        if (body.has("image") || body.has("setup") || body.has("setupEnv") || body.has("driver")
                || body.has("setupNetwork")) {
            throw new InvalidSpecException(List.of(new FieldError("snapshot",
                    "names the whole base: give either snapshot, or image, setup, setupEnv, setupNetwork and driver")));
        }
        SnapshotRecord record = snapshots.find(hash)
                .filter(r -> r.state() == SnapshotState.READY && r.tenant().equals(tenant))
                .orElseThrow(() -> new InvalidSpecException(List.of(new FieldError("snapshot",
                        "no ready base snapshot has this hash; GET /api/v1/snapshots lists them"))));
        ObjectNode request = ((ObjectNode) Views.tree(record.specJson())).setAll((ObjectNode) body.deepCopy());
        request.remove("snapshot");
        request.remove("tenant");
        request.put("driver", record.driver());
        return request;
    }

    /** The setup's secrets exist in the tenant and the driver can give them; their values are read at the build. */
    private void checkSetupSecrets(SandboxRequest request, String tenant) {
        List<SecretRef> refs = request.base().setupSecrets();
        List<FieldError> errors = new ArrayList<>(JobSubmission.missing(secrets, refs, "setupSecrets", tenant));
        if (!refs.isEmpty() && !validator.limits().setupSecretDrivers().contains(request.driver())) {
            errors.add(new FieldError("setupSecrets", "is not supported by the " + request.driver() + " driver"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(errors);
        }
    }

    /** The body of POST /api/v1/sandboxes. */
    record SandboxRequest(String driver, BaseSpec base, Resources resources, Duration standbyAfter) {
        SandboxRequest forTenant(String tenant) {
            return new SandboxRequest(driver, base.forTenant(tenant), resources, standbyAfter);
        }

        /** @param networked the drivers with networking: setup elsewhere gets none unless the body says */
        static SandboxRequest read(JsonNode body, String defaultDriver, boolean hostNetwork, Set<String> networked) {
            List<FieldError> errors = new ArrayList<>();
            String driver = body.path("driver").asText(defaultDriver);
            List<String> setup = new ArrayList<>();
            body.path("setup").forEach(step -> setup.add(step.asText()));
            Map<String, String> setupEnv = new LinkedHashMap<>();
            body.path("setupEnv").fields().forEachRemaining(e -> setupEnv.put(e.getKey(), e.getValue().asText()));
            String image = body.path("image").asText("host");
            int memoryMb = body.path("resources").path("memoryMb").asInt(512);
            double vcpus = body.path("resources").path("vcpus").asDouble(1.0);
            if (memoryMb < 16) {
                errors.add(new FieldError("resources.memoryMb", "must be at least 16"));
            }
            if (vcpus <= 0) {
                errors.add(new FieldError("resources.vcpus", "must be more than 0"));
            }
            JsonNode disk = body.path("resources").path("diskMb");
            int diskMb = Resources.DRIVER_DEFAULT_DISK;
            if (!disk.isMissingNode() && !disk.isNull()) {
                if (!disk.canConvertToInt() || !disk.isIntegralNumber()
                        || disk.asInt() < io.drover.orchestrator.spec.JobSpec.Resources.MIN_DISK_MB
                        || disk.asInt() > io.drover.orchestrator.spec.JobSpec.Resources.MAX_DISK_MB) {
                    errors.add(new FieldError("resources.diskMb", "must be a whole number from "
                            + io.drover.orchestrator.spec.JobSpec.Resources.MIN_DISK_MB + " to "
                            + io.drover.orchestrator.spec.JobSpec.Resources.MAX_DISK_MB));
                } else {
                    diskMb = disk.asInt();
                }
            }
            Duration standbyAfter = Durations.parse(body.path("standbyAfter").asText("15s")).orElse(null);
            if (standbyAfter == null) {
                errors.add(new FieldError("standbyAfter", "must be a duration such as 15s"));
            }
            NetworkPolicy network = NetworkField.read(body.get("network"), "network", NetworkPolicy.NONE, errors);
            NetworkPolicy setupNetwork = NetworkField.read(body.get("setupNetwork"), "setupNetwork",
                    NetworkField.setupDefault(networked.contains(driver)), errors);
            NetworkField.hostAllowed(network, "network", hostNetwork, errors);
            NetworkField.hostAllowed(setupNetwork, "setupNetwork", hostNetwork, errors);
            List<SecretRef> setupSecrets = SecretFields.setup(body, setupEnv.keySet(), errors);
            if (!errors.isEmpty()) {
                throw new InvalidSpecException(errors);
            }
            return new SandboxRequest(driver, new BaseSpec(image, setup, setupEnv, setupNetwork, null, setupSecrets,
                    Map.of()),
                    new Resources(memoryMb, vcpus, Resources.DEFAULT.maxProcesses(), network, diskMb), standbyAfter);
        }
    }

    /** The body of POST /api/v1/sandboxes/{id}/exec. */
    record ExecRequest(String command, Map<String, String> env, Duration timeout) {
        static ExecRequest read(JsonNode body) {
            List<FieldError> errors = new ArrayList<>();
            String command = body.path("command").asText("");
            if (command.isBlank()) {
                errors.add(new FieldError("command", "is required: a shell command"));
            }
            Map<String, String> env = new LinkedHashMap<>();
            body.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            Duration timeout = Durations.parse(body.path("timeout").asText("10m")).orElse(null);
            if (timeout == null) {
                errors.add(new FieldError("timeout", "must be a duration such as 30s"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidSpecException(errors);
            }
            return new ExecRequest(command, env, timeout);
        }

        /** The command to run, with a plain PATH and locale under the caller's variables. */
        Command command(OutputSink stdout, OutputSink stderr) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            all.put("LANG", "C.UTF-8");
            all.putAll(env);
            return new Command(command, all, timeout, stdout, stderr);
        }
    }
}
