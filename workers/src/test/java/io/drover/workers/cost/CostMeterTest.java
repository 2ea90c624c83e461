package io.drover.workers.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.attempt.AttemptUsage;
import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.sandbox.Usage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The worked example of docs/cost-model.md, figure for figure. */
class CostMeterTest {
    static final Usage EXAMPLE = new Usage(Duration.ofSeconds(90), Duration.ofSeconds(30),
            Optional.of(Duration.ofSeconds(45)), 512L << 20, OptionalLong.empty(), OptionalLong.of(256L << 20));
    static final String EXAMPLE_FILE = """
            {"type":"llm","model":"gpt-4o-mini","inputTokens":8000,"cachedInputTokens":4000,"outputTokens":1000}
            {"type":"llm","model":"gpt-4o-mini","inputTokens":4000,"outputTokens":2000}
            {"type":"tool","name":"github","durationMs":420}
            {"type":"tool","name":"github","durationMs":380}
            not json at all
            """;

    private final CostMeter meter = new CostMeter(PriceTable.defaults());

    private static Map<String, CostLine> byItem(AttemptUsage usage) {
        return usage.lines().stream().collect(Collectors.toMap(CostLine::item, l -> l));
    }

    @Test
    void default_prices_are_the_published_ones_per_second_and_per_million_tokens() {
        PriceTable p = PriceTable.defaults();
        assertThat(p.memoryGibSecond()).isEqualByComparingTo("0.000001234722222");
        assertThat(p.vcpuSecond()).isEqualByComparingTo("0.000011244444444");
        assertThat(p.standbyGibSecond()).isEqualByComparingTo("0.000000030441400");
        assertThat(p.storageGibSecond()).isEqualByComparingTo("0.000000030441400");
        assertThat(p.model("gpt-4o-mini")).contains(ModelPrice.of("0.15", "0.075", "0.60"));
        assertThat(p.toolCall("github")).isEqualByComparingTo("0");
    }

    @Test
    void the_worked_example_gives_the_documented_lines_and_total() {
        AttemptUsage usage = meter.meter(EXAMPLE, 1.0, Optional.of(Duration.ofMillis(20_000)),
                UsageFile.parse(EXAMPLE_FILE.getBytes(StandardCharsets.UTF_8), false));

        Map<String, CostLine> lines = byItem(usage);
        assertThat(lines.get("memory active").quantity()).isEqualByComparingTo("45");
        assertThat(lines.get("memory active").amountUsd()).isEqualByComparingTo("0.000055562500");
        assertThat(lines.get("cpu").quantity()).isEqualByComparingTo("45");
        assertThat(lines.get("cpu").amountUsd()).isEqualByComparingTo("0.000506000000");
        assertThat(lines.get("memory standby").quantity()).isEqualByComparingTo("15");
        assertThat(lines.get("memory standby").amountUsd()).isEqualByComparingTo("0.000000456621");
        assertThat(lines.get("workspace").dimension()).isEqualTo(CostDimension.STORAGE);
        assertThat(lines.get("workspace").quantity()).isEqualByComparingTo("30");
        assertThat(lines.get("workspace").amountUsd()).isEqualByComparingTo("0.000000913242");
        assertThat(lines.get("gpt-4o-mini input").quantity()).isEqualByComparingTo("0.012");
        assertThat(lines.get("gpt-4o-mini input").amountUsd()).isEqualByComparingTo("0.0018");
        assertThat(lines.get("gpt-4o-mini cached input").amountUsd()).isEqualByComparingTo("0.0003");
        assertThat(lines.get("gpt-4o-mini output").amountUsd()).isEqualByComparingTo("0.0018");
        assertThat(lines.get("github").quantity()).isEqualByComparingTo("2");
        assertThat(lines.get("github").durationMs()).isEqualTo(800);
        assertThat(lines.get("github").amountUsd()).isEqualByComparingTo("0");
        assertThat(total(usage)).isEqualByComparingTo("0.004462932363");
        assertThat(usage.usageWarnings()).isEqualTo(1);
        assertThat(usage.usageWarning()).isEqualTo("line 5: not JSON");
        assertThat(usage.setupMs()).isEqualTo(20_000);
    }

    @Test
    void bytes_a_sandbox_sent_make_a_network_line_at_the_egress_price() {
        Usage sent = new Usage(Duration.ofSeconds(10), Duration.ZERO, Optional.empty(), 512L << 20, OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.of(3L << 29), OptionalLong.of(5L << 30));

        CostLine network = byItem(meter.meter(sent, 1.0, Optional.empty(), UsageReport.EMPTY)).get("egress");

        assertThat(network.dimension()).isEqualTo(CostDimension.NETWORK);
        assertThat(network.quantity()).isEqualByComparingTo("1.5");
        assertThat(network.unit()).isEqualTo("GiB");
        assertThat(network.amountUsd()).isEqualByComparingTo("0.135");
        assertThat(byItem(meter.meter(EXAMPLE, 1.0, Optional.empty(), UsageReport.EMPTY))).doesNotContainKey("egress");
    }

    @Test
    void every_line_is_its_quantity_times_its_unit_price_and_the_quantities_are_the_metered_figures() {
        AttemptUsage usage = meter.meter(EXAMPLE, 1.0, Optional.empty(), UsageReport.EMPTY);

        assertThat(usage.lines()).allSatisfy(l -> assertThat(l.amountUsd())
                .isEqualByComparingTo(Quantities.amount(l.quantity(), l.unitPriceUsd())));
        assertThat(usage.activeMs()).isEqualTo(90_000);
        assertThat(usage.standbyMs()).isEqualTo(30_000);
        assertThat(usage.cpuMs()).isEqualTo(45_000);
        assertThat(usage.diskBytes()).isEqualTo(256L << 20);
    }

    @Test
    void tokens_of_a_model_without_a_price_are_recorded_at_zero_with_a_warning() {
        AttemptUsage usage = meter.meter(EXAMPLE, 1.0, Optional.empty(), UsageFile.parse(
                "{\"type\":\"llm\",\"model\":\"mystery\",\"inputTokens\":10}\n".getBytes(StandardCharsets.UTF_8), false));

        assertThat(byItem(usage).get("mystery input").unitPriceUsd()).isEqualByComparingTo("0");
        assertThat(usage.usageWarnings()).isEqualTo(1);
        assertThat(usage.usageWarning()).contains("model mystery has no price");
    }

    @Test
    void a_configured_price_replaces_the_default_and_is_stored_with_the_line() {
        PriceTable dearer = PriceTable.published(new BigDecimal("0.01"), new BigDecimal("0.1"), BigDecimal.ONE,
                BigDecimal.ONE, Map.of("gpt-4o-mini", ModelPrice.of("1", "1", "1")), Map.of("github", new BigDecimal("0.5")),
                BigDecimal.ZERO);
        AttemptUsage usage = new CostMeter(dearer).meter(EXAMPLE, 1.0, Optional.empty(),
                UsageFile.parse(EXAMPLE_FILE.getBytes(StandardCharsets.UTF_8), false));

        assertThat(byItem(usage).get("gpt-4o-mini input").unitPriceUsd()).isEqualByComparingTo("1");
        assertThat(byItem(usage).get("github").amountUsd()).isEqualByComparingTo("1");
        assertThat(dearer.model("gpt-4o")).as("other defaults stay").isPresent();
    }

    static BigDecimal total(AttemptUsage usage) {
        return usage.lines().stream().map(CostLine::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
