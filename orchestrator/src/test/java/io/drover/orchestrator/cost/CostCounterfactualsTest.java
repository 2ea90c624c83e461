package io.drover.orchestrator.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.cost.MeteredAttempt;
import io.drover.workers.cost.PriceTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The counterfactual bills of the worked example in docs/cost-model.md. */
class CostCounterfactualsTest {
    /** The example's attempt: 512 MiB, 1 vCPU, 90 s active + 30 s standby, a base built in 20 s. */
    static final MeteredAttempt EXAMPLE = new MeteredAttempt(1, 0, "SUCCEEDED", 90_000L, 30_000L, 45_000L, 512L << 20,
            BigDecimal.ONE, 20_000L, new BigDecimal("0.004462932363"));
    static final BigDecimal TOTAL = new BigDecimal("0.004462932363");
    static final BigDecimal COMPUTE = new BigDecimal("0.000562019121");

    private static Map<String, Counterfactual> bills(List<MeteredAttempt> attempts, int subtasks) {
        return Counterfactuals.of(attempts, PriceTable.defaults(), TOTAL, COMPUTE, subtasks).stream()
                .collect(Collectors.toMap(Counterfactual::billing, c -> c));
    }

    @Test
    void the_worked_example_is_billed_as_documented() {
        Map<String, Counterfactual> bills = bills(List.of(EXAMPLE), 1);

        // 0.5 GiB x 0.000001234722222 + 1 vCPU x 0.000011244444444 = 0.000011861805555 per second
        assertThat(bills.get("per-hour").totalUsd()).isEqualByComparingTo("0.046603413240");
        assertThat(bills.get("per-hour").ratio()).isEqualByComparingTo("10.4423");
        assertThat(bills.get("per-second-1-minute-minimum").totalUsd()).isEqualByComparingTo("0.005324329909");
        assertThat(bills.get("per-second-1-minute-minimum").ratio()).isEqualByComparingTo("1.1930");
        assertThat(bills.get("idle-timeout-15-minutes").totalUsd()).isEqualByComparingTo("0.015999954908");
        assertThat(bills.get("idle-timeout-15-minutes").ratio()).isEqualByComparingTo("3.5851");
        assertThat(bills.get("no-snapshot-reuse").totalUsd()).isEqualByComparingTo("0.004700168474");
        assertThat(bills.values()).allSatisfy(b -> assertThat(b.droverUsd()).isEqualByComparingTo(TOTAL));
    }

    @Test
    void without_a_known_base_build_time_the_no_reuse_bill_says_why_it_is_missing() {
        MeteredAttempt unknown = new MeteredAttempt(1, 0, "SUCCEEDED", 90_000L, 30_000L, 45_000L, 512L << 20,
                BigDecimal.ONE, null, TOTAL);

        Counterfactual bill = bills(List.of(unknown), 1).get("no-snapshot-reuse");

        assertThat(bill.totalUsd()).isNull();
        assertThat(bill.ratio()).isNull();
        assertThat(bill.note()).contains("not known");
    }

    @Test
    void setup_is_paid_once_per_subtask_without_reuse_and_attempts_without_a_sandbox_bill_nothing() {
        MeteredAttempt lost = new MeteredAttempt(2, 1, "FAILED", null, null, null, null, null, null, BigDecimal.ZERO);

        Map<String, Counterfactual> bills = bills(List.of(EXAMPLE, lost), 10);

        // 20 s x 0.000011861805555 = 0.000237236111 per subtask, 10 subtasks
        assertThat(bills.get("no-snapshot-reuse").totalUsd()).isEqualByComparingTo("0.006835293473");
        assertThat(bills.get("per-hour").totalUsd()).as("the lost attempt had no sandbox")
                .isEqualByComparingTo("0.046603413240");
    }
}
