package io.drover.persistence.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceStoreTest {
    private static final Duration GONE_AFTER = Duration.ofSeconds(30);

    private Database db;
    private InstanceStore instances;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        instances = new InstanceStore(db);
    }

    @Test
    void a_registered_instance_is_live_until_it_stops() {
        instances.register("w1", "node-a", "worker", "http://127.0.0.1:9001");
        instances.register("a1", "node-b", "api", "http://127.0.0.1:9002");

        assertThat(instances.live(GONE_AFTER)).extracting(InstanceRecord::id).containsExactly("w1", "a1");
        InstanceRecord w1 = instances.find("w1").orElseThrow();
        assertThat(w1.node()).isEqualTo("node-a");
        assertThat(w1.address()).isEqualTo("http://127.0.0.1:9001");
        assertThat(w1.live(Instant.now(), GONE_AFTER)).isTrue();

        instances.stop("w1");

        assertThat(instances.live(GONE_AFTER)).extracting(InstanceRecord::id).containsExactly("a1");
        assertThat(instances.find("w1").orElseThrow().stopped()).isNotNull();
        assertThat(instances.beat("w1")).as("a stopped instance is not renewed").isFalse();
    }

    @Test
    void an_instance_not_seen_for_a_while_is_gone_and_a_new_registration_brings_it_back() throws Exception {
        instances.register("w1", "node-a", "worker", "http://127.0.0.1:9001");
        seenSecondsAgo("w1", 31);

        assertThat(instances.live(GONE_AFTER)).isEmpty();
        assertThat(instances.find("w1").orElseThrow().live(Instant.now(), GONE_AFTER)).isFalse();
        assertThat(instances.beat("w1")).as("a gone instance that beats is seen again").isTrue();
        assertThat(instances.live(GONE_AFTER)).extracting(InstanceRecord::id).containsExactly("w1");

        instances.stop("w1");
        instances.register("w1", "node-a", "worker", "http://127.0.0.1:9003");
        assertThat(instances.find("w1").orElseThrow().stopped()).isNull();
        assertThat(instances.find("w1").orElseThrow().address()).isEqualTo("http://127.0.0.1:9003");
    }

    @Test
    void forget_removes_only_long_gone_instances() throws Exception {
        instances.register("old", "node-a", "worker", "http://127.0.0.1:9001");
        instances.register("new", "node-a", "worker", "http://127.0.0.1:9002");
        seenSecondsAgo("old", 7200);

        assertThat(instances.forget(Duration.ofHours(1))).isEqualTo(1);
        assertThat(instances.find("old")).isEmpty();
        assertThat(instances.find("new")).isPresent();
    }

    private void seenSecondsAgo(String id, int seconds) {
        db.autoCommit(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE instance SET seen_at = now() - interval '" + seconds
                        + " seconds' WHERE id = '" + id + "'");
            }
        });
    }
}
