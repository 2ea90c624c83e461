package io.drover.orchestrator.api;

import static io.drover.orchestrator.api.JobApiTest.awaitEnd;
import static io.drover.orchestrator.api.JobApiTest.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.orchestrator.testing.PostgresResource;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.NetworkPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job on the microvm driver end to end: the setup runs once in a base VM, every subtask runs in
 * its own clone of it. The spec names no network field: on a driver without networking both default
 * to none. The first base builds the guest image when it is missing (build-guest defaults to true).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class MicroVmJobTest {
    private static final String SETUP = "head -c 8 /dev/urandom | od -An -tx1 | tr -d \" \\n\" > /workspace/marker;"
            + " echo ran >> /workspace/runs";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void four_subtasks_of_a_microvm_spec_without_network_fields_read_the_marker_their_setup_wrote_once() {
        long id = submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: microvm-marker}
                spec:
                  sandbox:
                    driver: microvm
                    setup: ['%s']
                  fanout:
                    items: [a, b, c, d]
                  task:
                    command: 'echo ${item} $(cat /workspace/marker) $(wc -l < /workspace/runs) $(hostname)'
                    timeout: 2m
                """.formatted(SETUP));

        JsonPath job = awaitEnd(id, Duration.ofMinutes(4));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        List<String> outputs = given().get("/api/v1/jobs/" + id + "/subtasks").jsonPath()
                .getList("items.outputTail", String.class);
        assertThat(outputs).hasSize(4);
        var markers = new HashSet<String>();
        var hosts = new HashSet<String>();
        for (int i = 0; i < 4; i++) {
            String[] fields = outputs.get(i).trim().split(" ");
            assertThat(fields).hasSize(4);
            assertThat(fields[0]).isEqualTo(List.of("a", "b", "c", "d").get(i));
            assertThat(fields[1]).matches("[0-9a-f]{16}");
            assertThat(fields[2]).isEqualTo("1"); // the setup ran once, in the base
            markers.add(fields[1]);
            hosts.add(fields[3]);
        }
        assertThat(markers).hasSize(1);
        assertThat(hosts).allMatch(h -> h.startsWith("vm-"));
        // The base is the one of a setup without network, not the egress default of networked drivers.
        String base = new BaseSpec("host", List.of(SETUP), Map.of(), NetworkPolicy.NONE).hash();
        assertThat(given().get("/api/v1/snapshots/" + base).jsonPath().getString("driver")).isEqualTo("microvm");
    }
}
