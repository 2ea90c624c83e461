package io.drover.persistence.subtask;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.snapshot.CopyReady;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Claims prefer jobs whose base is warm on the claiming node, and never so much that a job starves. */
@Timeout(60)
class WarmClaimTest {
    private static final String BASE_A = "a".repeat(64);
    private static final String BASE_B = "b".repeat(64);
    private static final Duration STARVE_AFTER = Duration.ofMinutes(1);
    private static final Duration GONE_AFTER = Duration.ofSeconds(30);

    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private BaseCopyStore copies;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        copies = new BaseCopyStore(db);
        InstanceStore instances = new InstanceStore(db);
        instances.register("w1", "node-1", "worker", "http://127.0.0.1:1");
        instances.register("w2", "node-2", "worker", "http://127.0.0.1:2");
        warm(BASE_A, "node-1");
        warm(BASE_B, "node-2");
    }

    @Test
    void each_node_claims_the_job_whose_base_it_holds_warm_first() {
        long onA = job("on-a", 10, BASE_A);
        long onB = job("on-b", 10, BASE_B);

        // node-2 claims first, so round-robin alone would give it the older job (on-a).
        assertThat(jobsOf(subtasks.claim("w2", 4, on("node-2")))).containsOnlyKeys(onB).containsEntry(onB, 4L);
        assertThat(jobsOf(subtasks.claim("w1", 4, on("node-1")))).containsOnlyKeys(onA).containsEntry(onA, 4L);
    }

    @Test
    void a_job_warm_only_elsewhere_still_fills_the_slots_the_warm_jobs_leave() {
        long onA = job("on-a", 2, BASE_A);
        long onB = job("on-b", 10, BASE_B);

        Map<Long, Long> claimed = jobsOf(subtasks.claim("w1", 6, on("node-1")));

        assertThat(claimed).containsEntry(onA, 2L).containsEntry(onB, 4L);
    }

    @Test
    void a_job_no_node_holds_warm_ranks_before_a_job_warm_only_on_another_node() {
        long onB = job("on-b", 10, BASE_B);
        long cold = job("cold", 10, "c".repeat(64));

        assertThat(jobsOf(subtasks.claim("w1", 3, on("node-1")))).containsOnlyKeys(cold);
        assertThat(onB).isLessThan(cold);
    }

    @Test
    void a_job_nobody_claimed_from_for_the_starvation_window_is_taken_before_warm_work() {
        long onA = job("on-a", 100, BASE_A);
        long starving = job("starving", 10, BASE_B);
        subtasks.claim("w1", 4, on("node-1"));
        assertThat(jobsOf(subtasks.claim("w1", 1, on("node-1")))).containsOnlyKeys(onA);

        age(starving, STARVE_AFTER.plusSeconds(5));

        assertThat(jobsOf(subtasks.claim("w1", 1, on("node-1")))).containsOnlyKeys(starving);
    }

    @Test
    void a_copy_on_a_node_whose_workers_are_gone_does_not_defer_the_job() {
        long onB = job("on-b", 10, BASE_B);
        long cold = job("cold", 10, "c".repeat(64));
        new InstanceStore(db).stop("w2");

        // on-b's only warm copy is on a stopped node: it ranks with the cold job, by age.
        assertThat(jobsOf(subtasks.claim("w1", 2, on("node-1")))).containsEntry(onB, 1L).containsEntry(cold, 1L);
    }

    @Test
    void without_a_node_the_claim_is_plain_round_robin() {
        long onA = job("on-a", 10, BASE_A);
        long onB = job("on-b", 10, BASE_B);

        assertThat(jobsOf(subtasks.claim("w", 4))).containsEntry(onA, 2L).containsEntry(onB, 2L);
    }

    private static WarmPreference on(String node) {
        return new WarmPreference(node, STARVE_AFTER, GONE_AFTER);
    }

    private long job(String name, int items, String baseHash) {
        long id = jobs.insert(NewJob.of(name, "{}", "{}", "{}", "test")).id();
        new BaseSnapshotStore(db).usedBy(id, baseHash);
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"i\":" + i + "}").toList());
        return id;
    }

    private void warm(String hash, String node) {
        Instant now = Instant.now();
        copies.building(hash, "process", "{}", node, "w", now);
        copies.ready(new CopyReady(hash, node, "/bases/" + hash, 1, "sha256:x", 10, null, "w"), now);
    }

    /** As if the job had been submitted, and last claimed from, {@code ago} before now. */
    private void age(long jobId, Duration ago) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET created_at = now() - make_interval(secs => ?)"
                    + " WHERE id = ?")) {
                ps.setDouble(1, ago.toSeconds());
                ps.setLong(2, jobId);
                return ps.executeUpdate();
            }
        });
    }

    private static Map<Long, Long> jobsOf(List<ClaimedSubtask> claimed) {
        return claimed.stream().collect(Collectors.groupingBy(ClaimedSubtask::jobId, Collectors.counting()));
    }
}
