package io.drover.persistence.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.Page;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.attempt.AttemptUsage;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.subtask.SubtaskView;
import io.drover.persistence.testing.TestDatabases;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CostLedgerStoreTest {
    private Database db;
    private JobStore jobs;
    private SubtaskStore subtasks;
    private AttemptStore attempts;
    private CostStore costs;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        jobs = new JobStore(db);
        subtasks = new SubtaskStore(db);
        attempts = new AttemptStore(db);
        costs = new CostStore(db);
    }

    private long jobWith(int items) {
        long id = jobs.insert(NewJob.of("costs", "{}", "{}", "{}", "test")).id();
        jobs.expand(id, java.util.stream.IntStream.range(0, items).mapToObj(i -> "{\"n\":" + i + "}").toList());
        return id;
    }

    private static CostLine line(CostDimension d, String item, String amount) {
        return new CostLine(d, item, BigDecimal.ONE, "unit", new BigDecimal(amount), new BigDecimal(amount), null);
    }

    private static AttemptResult ended(ClaimedSubtask c, AttemptOutcome outcome, CostLine... lines) {
        AttemptUsage usage = new AttemptUsage(1500, 0, 700L, 512L << 20, 1.0, 4096L, 250L, 1, "line 3: not JSON",
                List.of(lines));
        return new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), outcome,
                outcome == AttemptOutcome.SUCCEEDED ? null : "nonzero-exit", 0, 1500, null, "log", "",
                Optional.empty(), Optional.of(usage));
    }

    @Test
    void cost_lines_are_written_with_the_attempts_end_and_summed_per_dimension_and_subtask() {
        long job = jobWith(2);
        List<ClaimedSubtask> claimed = subtasks.claim("w", 2);

        assertThat(attempts.complete(ended(claimed.get(0), AttemptOutcome.SUCCEEDED,
                line(CostDimension.COMPUTE, "memory", "0.25"), line(CostDimension.TOKENS, "m input", "1.5")))).isTrue();
        assertThat(attempts.complete(ended(claimed.get(1), AttemptOutcome.FAILED,
                line(CostDimension.COMPUTE, "memory", "0.75")))).isTrue();

        assertThat(costs.totals(job)).containsEntry(CostDimension.COMPUTE, new BigDecimal("1.00"))
                .containsEntry(CostDimension.TOKENS, new BigDecimal("1.5"))
                .containsEntry(CostDimension.TOOLS, BigDecimal.ZERO);
        assertThat(costs.dearest(job, 10)).extracting(SubtaskCost::index, SubtaskCost::costUsd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, new BigDecimal("1.75")),
                        org.assertj.core.groups.Tuple.tuple(1, new BigDecimal("0.75")));
        Page<SubtaskView> page = subtasks.list(job, Optional.empty(), 10, Optional.empty());
        assertThat(page.items()).extracting(SubtaskView::costUsd)
                .containsExactly(new BigDecimal("1.75"), new BigDecimal("0.75"));
        MeteredAttempt first = costs.attempts(job).get(0);
        assertThat(first.activeMs()).isEqualTo(1500);
        assertThat(first.cpuMs()).isEqualTo(700);
        assertThat(first.setupMs()).isEqualTo(250);
        assertThat(first.costUsd()).isEqualByComparingTo("1.75");
    }

    @Test
    void a_rejected_duplicate_completion_writes_no_cost() {
        long job = jobWith(1);
        ClaimedSubtask c = subtasks.claim("w", 1).get(0);
        assertThat(attempts.complete(ended(c, AttemptOutcome.SUCCEEDED, line(CostDimension.COMPUTE, "memory", "2"))))
                .isTrue();

        boolean again = attempts.complete(ended(c, AttemptOutcome.SUCCEEDED, line(CostDimension.COMPUTE, "memory", "2")));

        assertThat(again).isFalse();
        assertThat(costs.totals(job).get(CostDimension.COMPUTE)).isEqualByComparingTo("2");
    }

    @Test
    void an_attempt_that_never_got_a_sandbox_costs_nothing() {
        long job = jobWith(1);
        ClaimedSubtask c = subtasks.claim("w", 1).get(0);

        attempts.complete(new AttemptResult(c.attemptId(), c.subtaskId(), c.version(), AttemptOutcome.FAILED,
                "sandbox-lost", null, 10, null, "log", "", Optional.empty()));

        assertThat(costs.attempts(job)).singleElement().satisfies(a -> {
            assertThat(a.metered()).isFalse();
            assertThat(a.costUsd()).isEqualByComparingTo("0");
        });
    }
}
