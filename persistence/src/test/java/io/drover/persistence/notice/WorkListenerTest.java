package io.drover.persistence.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkListenerTest {
    private Database db;
    private JobStore jobs;
    private final AtomicInteger heard = new AtomicInteger();
    private WorkListener listener;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        listener = new WorkListener(db.dataSource(), heard::incrementAndGet, Duration.ofMillis(200)).start();
        await().atMost(Duration.ofSeconds(10)).until(listener::listening);
    }

    @AfterEach
    void tearDown() {
        listener.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void subtasks_made_ready_are_heard_and_claims_and_completions_are_not() {
        long job = job(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get() >= 1);

        heard.set(0);
        SubtaskStore subtasks = new SubtaskStore(db);
        AttemptStore attempts = new AttemptStore(db);
        for (ClaimedSubtask c : subtasks.claim("w", 3)) {
            attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), AttemptOutcome.SUCCEEDED,
                    null, 0, 1, null, null, "", Optional.empty()));
        }
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> heard.get() == 0);

        assertThat(job).isPositive();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_subtask_handed_back_is_heard_and_one_retried_later_is_not_yet() {
        job(2);
        SubtaskStore subtasks = new SubtaskStore(db);
        AttemptStore attempts = new AttemptStore(db);
        List<ClaimedSubtask> claimed = subtasks.claim("w", 2);
        heard.set(0);

        ClaimedSubtask later = claimed.get(0);
        attempts.complete(new AttemptResult(later.attemptId(), later.subtaskId(), later.version(), AttemptOutcome.FAILED,
                "nonzero-exit", 1, 1, null, null, "", Optional.of(60_000L)));
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> heard.get() == 0);

        ClaimedSubtask back = claimed.get(1);
        attempts.requeue(back.attemptId(), back.subtaskId(), back.version(), "worker-stopped");
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get() >= 1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_listener_whose_connection_is_cut_listens_again_and_looks_for_work_sent_meanwhile() throws Exception {
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "
                + WorkListener.CHANNEL + "' AND pid <> pg_backend_pid()");

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() >= 1 && listener.listening());
        heard.set(0);
        job(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.get() >= 1);
    }

    private long job(int items) {
        long id = jobs.insert(NewJob.of("n", "{}", "{}", "{}", "test")).id();
        jobs.expand(id, java.util.stream.IntStream.range(0, items).mapToObj(i -> "{}").toList());
        return id;
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
