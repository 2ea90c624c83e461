package io.drover.persistence.attempt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CompletionsTest {
    // A fresh database for each test: JUnit makes a new instance per test.
    private final Database db = TestDatabases.fresh();
    private final JobStore jobs = new JobStore(db);
    private final SubtaskStore subtasks = new SubtaskStore(db);
    private final AttemptStore attempts = new AttemptStore(db);

    private long jobWith(int items) {
        long id = jobs.insert(NewJob.of("ends", "{}", "{}", "{}", "test")).id();
        jobs.expand(id, IntStream.range(0, items).mapToObj(i -> "{\"n\":" + i + "}").toList());
        return id;
    }

    private static AttemptResult end(ClaimedSubtask c, AttemptOutcome outcome, Optional<Long> retryAfterMs) {
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome,
                outcome == AttemptOutcome.SUCCEEDED ? null : "nonzero-exit", outcome == AttemptOutcome.SUCCEEDED ? 0 : 1,
                5, null, "log", "tail", retryAfterMs);
    }

    @Test
    void ends_recorded_together_each_move_their_own_subtask_and_attempt() {
        long job = jobWith(5);
        List<ClaimedSubtask> c = subtasks.claim("w", 5);
        ClaimedSubtask stale = new ClaimedSubtask(c.get(4).subtaskId(), job, 4, "{}", 1, c.get(4).attemptId(),
                c.get(4).version() - 1);

        var recorded = attempts.complete(List.of(
                end(c.get(0), AttemptOutcome.SUCCEEDED, Optional.empty()),
                end(c.get(1), AttemptOutcome.FAILED, Optional.of(60_000L)),
                end(c.get(2), AttemptOutcome.FAILED, Optional.empty()),
                end(c.get(3), AttemptOutcome.CANCELLED, Optional.empty()),
                end(stale, AttemptOutcome.SUCCEEDED, Optional.empty())));

        assertThat(recorded).containsExactlyInAnyOrder(c.get(0).attemptId(), c.get(1).attemptId(),
                c.get(2).attemptId(), c.get(3).attemptId());
        assertThat(rows("SELECT s.state || '/' || a.state || '/' || coalesce((s.not_before > now())::text, '')"
                + " || '/' || (s.finished_at IS NOT NULL)::text FROM subtask s JOIN attempt a ON a.subtask_id = s.id"
                + " ORDER BY s.idx")).containsExactly(
                "SUCCEEDED/SUCCEEDED//true", "PENDING/FAILED/true/false", "FAILED/FAILED//true",
                "CANCELLED/CANCELLED//true", "RUNNING/RUNNING//false");
        assertThat(rows("SELECT exit_code::text FROM attempt ORDER BY id")).containsExactly("0", "1", "1", "1", null);
    }

    @Test
    void a_group_with_an_attempt_no_longer_running_records_nothing() {
        jobWith(2);
        List<ClaimedSubtask> c = subtasks.claim("w", 2);
        execute("UPDATE attempt SET state = 'LOST' WHERE id = " + c.get(1).attemptId());

        assertThatThrownBy(() -> attempts.complete(List.of(end(c.get(0), AttemptOutcome.SUCCEEDED, Optional.empty()),
                end(c.get(1), AttemptOutcome.SUCCEEDED, Optional.empty()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was not running");
        assertThat(rows("SELECT state FROM subtask ORDER BY idx")).containsExactly("RUNNING", "RUNNING");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ends_from_many_threads_are_each_recorded_once_and_each_caller_learns_its_own() throws Exception {
        long job = jobWith(200);
        Completions completions = new Completions(attempts);
        List<ClaimedSubtask> claimed = new ArrayList<>();
        for (List<ClaimedSubtask> b = subtasks.claim("w", 50); !b.isEmpty(); b = subtasks.claim("w", 50)) {
            claimed.addAll(b);
        }
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> ends = new ArrayList<>();
            for (ClaimedSubtask c : claimed) {
                ends.add(threads.submit(() -> completions.complete(end(c, AttemptOutcome.SUCCEEDED, Optional.empty()))));
            }
            for (Future<Boolean> f : ends) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(completions.complete(end(claimed.get(0), AttemptOutcome.SUCCEEDED, Optional.empty())))
                .as("a second end of the same attempt is rejected").isFalse();
        assertThat(rows("SELECT state || ' ' || count(*) FROM subtask GROUP BY state")).containsExactly("SUCCEEDED 200");
        assertThat(jobs.completeIfDone(job)).contains(JobState.SUCCEEDED);
    }

    @Test
    void an_end_that_cannot_be_written_fails_only_its_own_caller() {
        jobWith(2);
        List<ClaimedSubtask> c = subtasks.claim("w", 2);
        execute("UPDATE attempt SET state = 'LOST' WHERE id = " + c.get(1).attemptId());
        Completions completions = new Completions(attempts);

        assertThatThrownBy(() -> completions.complete(end(c.get(1), AttemptOutcome.SUCCEEDED, Optional.empty())))
                .isInstanceOf(IllegalStateException.class);
        assertThat(completions.complete(end(c.get(0), AttemptOutcome.SUCCEEDED, Optional.empty()))).isTrue();
    }

    private void execute(String sql) {
        db.autoCommit(conn -> conn.createStatement().executeUpdate(sql));
    }

    private List<String> rows(String sql) {
        return db.autoCommit(conn -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        });
    }
}
