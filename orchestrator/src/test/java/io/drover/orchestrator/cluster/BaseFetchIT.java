package io.drover.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two worker processes, each its own node (data dir), on one database: the second gets a base by fetch. */
class BaseFetchIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void a_second_node_fetches_a_base_the_first_built_and_runs_no_setup() throws Exception {
        String database = TestDatabases.empty();
        DataSource ds = TestDatabases.server().dataSource(database);
        // The setup's output is random: the second node's copy has the first's bytes only if it was fetched.
        String setup = "head -c 4096 /dev/urandom | od -x > /workspace/random # " + UUID.randomUUID();
        String hash = new BaseSpec("host", List.of(setup), Map.of()).hash();
        String body = "{\"setup\": [\"" + setup + "\"]}";
        try (DroverProcess first = node(database, "a"); DroverProcess second = node(database, "b")) {
            assertThat(first.post("/api/v1/sandboxes", body).statusCode()).isEqualTo(201);

            HttpResponse<String> opened = second.post("/api/v1/sandboxes", body);

            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            String nodeA = Files.readString(temp.resolve("a/node-id")).strip();
            String nodeB = Files.readString(temp.resolve("b/node-id")).strip();
            assertThat(Sql.text(ds, "SELECT fetched_from FROM base_copy WHERE hash = '" + hash + "' AND node = '"
                    + nodeB + "'")).isEqualTo(nodeA);
            assertThat(Sql.scalar(ds, "SELECT count(DISTINCT content_hash) FROM base_copy WHERE hash = '" + hash + "'"))
                    .isEqualTo(1);
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM base_build WHERE base_hash = '" + hash
                    + "' AND fetched_from IS NULL")).as("setups run").isEqualTo(1);
            assertThat(Files.readAllBytes(layer(temp.resolve("b"), hash).resolve("random")))
                    .isEqualTo(Files.readAllBytes(layer(temp.resolve("a"), hash).resolve("random")));
            assertThat(second.log()).contains("fetched from node " + nodeA).doesNotContain("Building base " + hash);
            // The peer endpoint serves no base this node does not hold READY.
            assertThat(first.get("/internal/v1/bases/" + "0".repeat(64)).statusCode()).isEqualTo(404);
        }
    }

    private DroverProcess node(String database, String name) {
        return new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve(name),
                temp.resolve(name + ".log"), Map.of("drover.roles", "api,worker")).start();
    }

    private static Path layer(Path dataDir, String hash) {
        return dataDir.resolve("sandboxes/bases").resolve(hash).resolve("layer");
    }
}
