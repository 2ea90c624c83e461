package io.drover.orchestrator.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.cost.BaseUse;
import io.drover.persistence.cost.MeteredAttempt;
import io.drover.workers.cost.PriceTable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shared part of the worked example in docs/cost-model.md: the base's setup and storage, amortized. */
class CostSharedTest {
    static final Instant BUILT = Instant.parse("2026-11-01T00:00:00Z");
    /** The example's base: built in 20 s by a 2 GiB, 2 vCPU setup sandbox, 64 MiB on disk. */
    static final BaseUse.Build BUILD = new BaseUse.Build(20_000, new BigDecimal("0.000499166667"), 64L << 20,
            new BigDecimal("0.000000030441400"), BUILT, null);
    static final BigDecimal POOL_IDLE = new BigDecimal("0.000012194238");

    @Test
    void the_worked_examples_job_pays_a_quarter_of_its_bases_setup_and_storage() {
        SharedCost shared = SharedCost.of(new BaseUse("abc", 1, 4, List.of(BUILD)), BUILT.plus(Duration.ofDays(30)));

        assertThat(shared.setupUsd()).isEqualByComparingTo("0.000499166667");
        // 0.0625 GiB x 2,592,000 s = 162,000 GiB-s at 0.0000000304414
        assertThat(shared.storageGibSeconds()).isEqualByComparingTo("162000");
        assertThat(shared.storageUsd()).isEqualByComparingTo("0.004931506800");
        assertThat(shared.setupShareUsd()).isEqualByComparingTo("0.000124791667");
        assertThat(shared.storageShareUsd()).isEqualByComparingTo("0.001232876700");
        assertThat(shared.shareUsd()).isEqualByComparingTo("0.001357668367");
    }

    @Test
    void the_worked_examples_total_adds_the_ledger_and_the_shares_and_no_reuse_replaces_the_setup_share() {
        SharedCost shared = SharedCost.of(new BaseUse("abc", 1, 4, List.of(BUILD)), BUILT.plus(Duration.ofDays(30)));
        BigDecimal ledger = CostCounterfactualsTest.TOTAL.add(POOL_IDLE);
        BigDecimal total = ledger.add(shared.shareUsd());

        assertThat(ledger).isEqualByComparingTo("0.004475126601");
        assertThat(total).isEqualByComparingTo("0.005832794968");
        assertThat(CostReports.perSubtask(total, 1)).isEqualByComparingTo("0.005832794968");

        Map<String, Counterfactual> bills = Counterfactuals.of(List.of(CostCounterfactualsTest.EXAMPLE),
                PriceTable.defaults(), total, CostCounterfactualsTest.COMPUTE, 1, shared.setupShareUsd()).stream()
                .collect(Collectors.toMap(Counterfactual::billing, c -> c));
        // total - 0.000124791667 (the share) + 0.000237236111 (a whole setup at the subtask's size)
        assertThat(bills.get("no-snapshot-reuse").totalUsd()).isEqualByComparingTo("0.005945239412");
        assertThat(bills.get("no-snapshot-reuse").ratio()).isEqualByComparingTo("1.0193");
        assertThat(bills.get("per-hour").totalUsd()).as("pool overhead and shares are carried over")
                .isEqualByComparingTo("0.047973275845");
    }

    @Test
    void a_deleted_build_stops_costing_storage_and_every_jobs_shares_add_up_to_the_bases_cost() {
        BaseUse.Build deleted = new BaseUse.Build(20_000, new BigDecimal("0.000499166667"), 64L << 20,
                new BigDecimal("0.000000030441400"), BUILT, BUILT.plus(Duration.ofDays(1)));
        Instant later = BUILT.plus(Duration.ofDays(30));

        SharedCost a = SharedCost.of(new BaseUse("abc", 1, 3, List.of(deleted)), later);
        SharedCost b = SharedCost.of(new BaseUse("abc", 2, 3, List.of(deleted)), later);

        assertThat(a.storageGibSeconds()).isEqualByComparingTo("5400");
        assertThat(a.setupShareUsd().add(b.setupShareUsd())).isEqualByComparingTo(a.setupUsd());
        assertThat(a.storageShareUsd().add(b.storageShareUsd())).isEqualByComparingTo(a.storageUsd());
    }

    @Test
    void a_copy_fetched_onto_a_second_node_adds_its_storage_but_no_build_and_a_second_build_adds_its_setup() {
        BaseUse.Build fetched = new BaseUse.Build(0, BigDecimal.ZERO, 64L << 20, new BigDecimal("0.000000030441400"),
                BUILT, null, true);
        Instant later = BUILT.plus(Duration.ofDays(30));

        SharedCost withFetch = SharedCost.of(new BaseUse("abc", 1, 4, List.of(BUILD, fetched)), later);
        SharedCost builtTwice = SharedCost.of(new BaseUse("abc", 1, 4, List.of(BUILD, BUILD)), later);

        assertThat(withFetch.builds()).isEqualTo(1);
        assertThat(withFetch.setupUsd()).isEqualByComparingTo("0.000499166667");
        assertThat(withFetch.storageUsd()).isEqualByComparingTo("0.009863013600"); // both nodes' copies
        assertThat(builtTwice.builds()).isEqualTo(2);
        assertThat(builtTwice.setupUsd()).isEqualByComparingTo("0.000998333334");
        assertThat(builtTwice.buildMs()).isEqualTo(40_000);
    }

    @Test
    void a_job_none_of_whose_subtasks_ran_pays_no_share() {
        SharedCost shared = SharedCost.of(new BaseUse("abc", 0, 0, List.of(BUILD)), BUILT);

        assertThat(shared.shareUsd()).isEqualByComparingTo("0");
    }

    @Test
    void the_schedule_trend_is_the_least_squares_slope_of_the_cost_per_succeeded_subtask() {
        List<ScheduleCost.Run> newestFirst = List.of(run(4, "0.40", 1), run(3, "0.30", 1), run(2, "0.20", 1),
                new ScheduleCost.Run(1, "RUNNING", BUILT, BUILT, null, new BigDecimal("9"), new BigDecimal("9"),
                        BigDecimal.ZERO, 0, null));

        ScheduleCost.Trend trend = CostAggregates.trend(newestFirst);

        assertThat(trend.runs()).as("the running job is left out").isEqualTo(3);
        assertThat(trend.meanPerSucceededSubtaskUsd()).isEqualByComparingTo("0.30");
        assertThat(trend.slopePerRunUsd()).isEqualByComparingTo("0.10");
        assertThat(trend.latestPerSucceededSubtaskUsd()).isEqualByComparingTo("0.40");
        assertThat(trend.latestVsMean()).isEqualByComparingTo("1.3333");
        assertThat(CostAggregates.trend(List.of()).slopePerRunUsd()).isNull();
    }

    private static ScheduleCost.Run run(long id, String usd, long succeeded) {
        BigDecimal total = new BigDecimal(usd);
        return new ScheduleCost.Run(id, "SUCCEEDED", BUILT, BUILT, BUILT.plusSeconds(60), total, total, BigDecimal.ZERO,
                succeeded, CostReports.perSubtask(total, succeeded));
    }
}
