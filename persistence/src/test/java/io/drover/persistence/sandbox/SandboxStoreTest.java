package io.drover.persistence.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxStoreTest {
    private static final Duration GONE_AFTER = Duration.ofSeconds(30);

    private Database db;
    private InstanceStore instances;
    private SandboxStore sandboxes;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        instances = new InstanceStore(db);
        sandboxes = new SandboxStore(db);
        instances.register("w1", "node-a", "api,worker", "http://127.0.0.1:9001");
        instances.register("w2", "node-b", "worker", "http://127.0.0.1:9002");
    }

    @Test
    void a_recorded_sandbox_is_found_by_id_and_by_its_token_digest_and_never_holds_the_token() throws Exception {
        sandboxes.record(open("sb-1", "w1", "secret-1"));

        SandboxRecord found = sandboxes.find("sb-1").orElseThrow();
        assertThat(found.owner()).isEqualTo("w1");
        assertThat(found.kind()).isEqualTo(SandboxKind.OPEN);
        assertThat(found.open()).isTrue();
        assertThat(found.tokenMatches(sha256("secret-1"))).isTrue();
        assertThat(found.tokenMatches(sha256("secret-2"))).isFalse();
        assertThat(sandboxes.withToken(sha256("secret-1"))).map(SandboxRecord::id).hasValue("sb-1");
        assertThat(text("SELECT string_agg(t::text, ' ') FROM sandbox t")).doesNotContain("secret-1");
    }

    @Test
    void a_closed_sandbox_keeps_its_row_but_its_token_no_longer_works() {
        sandboxes.record(open("sb-1", "w1", "secret-1"));
        sandboxes.seen("sb-1", "STANDBY");
        assertThat(sandboxes.find("sb-1").orElseThrow().state()).isEqualTo("STANDBY");

        assertThat(sandboxes.close("sb-1")).isTrue();
        assertThat(sandboxes.close("sb-1")).as("closed once").isFalse();

        SandboxRecord closed = sandboxes.find("sb-1").orElseThrow();
        assertThat(closed.open()).isFalse();
        assertThat(closed.state()).isEqualTo(SandboxRecord.CLOSED);
        assertThat(sandboxes.withToken(sha256("secret-1"))).isEmpty();
    }

    @Test
    void reclaim_marks_lost_the_open_sandboxes_of_gone_instances_and_not_of_live_ones_or_the_caller() {
        sandboxes.record(open("of-live", "w1", "t1"));
        sandboxes.record(open("of-dead", "w2", "t2"));
        sandboxes.record(open("of-stopped", "w3", "t3"));
        sandboxes.record(open("of-unknown", "nobody", "t4"));
        sandboxes.record(open("of-self", "me", "t5"));
        instances.register("w3", "node-c", "worker", "http://127.0.0.1:9003");
        instances.stop("w3");
        seenSecondsAgo("w2", 31);

        assertThat(sandboxes.reclaim(GONE_AFTER, "me")).extracting(SandboxRecord::id)
                .containsExactlyInAnyOrder("of-dead", "of-stopped", "of-unknown");

        assertThat(sandboxes.find("of-live").orElseThrow().open()).isTrue();
        assertThat(sandboxes.find("of-self").orElseThrow().open()).as("the caller's own, row or not").isTrue();
        SandboxRecord lost = sandboxes.find("of-dead").orElseThrow();
        assertThat(lost.lost()).isTrue();
        assertThat(lost.closedAt()).isNotNull();
        assertThat(sandboxes.reclaim(GONE_AFTER, "me")).as("nothing left to reclaim").isEmpty();
    }

    @Test
    void hosts_are_the_live_instances_offering_the_driver_with_the_fewest_open_sandboxes_first() {
        instances.register("api", "node-c", "api", "http://127.0.0.1:9003");
        sandboxes.offer("w1", Set.of("process", "microvm"));
        sandboxes.offer("w2", Set.of("process"));
        sandboxes.offer("api", Set.of());
        sandboxes.record(open("a", "w1", "t1"));
        sandboxes.record(open("b", "w1", "t2"));
        sandboxes.record(open("c", "w2", "t3"));
        sandboxes.record(open("closed", "w2", "t4"));
        sandboxes.close("closed");

        assertThat(sandboxes.hosts("process", GONE_AFTER)).containsExactly(
                new SandboxHost("w2", "http://127.0.0.1:9002", 1), new SandboxHost("w1", "http://127.0.0.1:9001", 2));
        assertThat(sandboxes.hosts("microvm", GONE_AFTER)).extracting(SandboxHost::instance).containsExactly("w1");

        seenSecondsAgo("w2", 31);
        assertThat(sandboxes.hosts("process", GONE_AFTER)).extracting(SandboxHost::instance).containsExactly("w1");
    }

    private static NewSandbox open(String id, String owner, String token) {
        return new NewSandbox(id, owner, "process", "base-hash", SandboxKind.OPEN, sha256(token), "ACTIVE",
                (Instant) null, "default");
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(String sql) {
        return db.autoCommit(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        });
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
