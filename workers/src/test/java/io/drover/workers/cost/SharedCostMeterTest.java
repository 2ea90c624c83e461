package io.drover.workers.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.persistence.cost.PoolIdle;
import io.drover.persistence.snapshot.BaseBuild;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Usage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shared costs of the worked example in docs/cost-model.md: the base's setup and the pool's idle time. */
class SharedCostMeterTest {
    static final Instant BUILT = Instant.parse("2026-11-01T00:00:00Z");
    /** The process driver's setup sandbox: 2 GiB, 2 vCPUs. */
    static final Resources SETUP = new Resources(2048, 2.0, 1024);

    @Test
    void the_worked_examples_base_build_is_priced_once_at_the_setup_sandboxs_size() {
        BaseSnapshot base = new BaseSnapshot("abc", BaseSpec.of("host"), Path.of("/nowhere"), 64L << 20,
                Duration.ofSeconds(20));

        BaseBuild build = new SetupMeter(PriceTable.defaults(), SETUP).price("process", base, BUILT, "node-a");

        // 2 GiB x 20 s = 40 GiB-s -> 0.000049388889; 2 vCPUs x 20 s = 40 vCPU-s -> 0.000449777778
        assertThat(build.setupUsd()).isEqualByComparingTo("0.000499166667");
        assertThat(build.memoryLimitBytes()).isEqualTo(2L << 30);
        assertThat(build.vcpus()).isEqualByComparingTo("2");
        assertThat(build.buildMs()).isEqualTo(20_000);
        assertThat(build.sizeBytes()).isEqualTo(64L << 20);
        assertThat(build.storageGibSecondUsd()).isEqualByComparingTo("0.000000030441400");
    }

    @Test
    void the_worked_examples_warm_clone_is_charged_what_it_used_before_its_lease() throws Exception {
        List<PoolIdle> written = new ArrayList<>();
        IdleMeter meter = new IdleMeter("process", PriceTable.defaults(), written::add);
        Usage beforeLease = new Usage(Duration.ofSeconds(15), Duration.ofSeconds(45), Optional.of(Duration.ofMillis(200)),
                512L << 20, OptionalLong.empty(), OptionalLong.of(0));

        meter.idled("abc", "sb-1", BUILT, BUILT.plusSeconds(60), beforeLease);
        meter.flush();
        meter.close();

        assertThat(written).hasSize(1);
        Map<String, CostLine> lines = written.get(0).lines().stream()
                .collect(Collectors.toMap(CostLine::item, l -> l));
        assertThat(lines.keySet()).as("a warm clone that wrote nothing has no workspace line")
                .containsExactlyInAnyOrder("pool idle memory", "pool idle cpu", "pool idle standby");
        assertThat(lines.values()).allSatisfy(l -> assertThat(l.dimension()).isEqualTo(CostDimension.OVERHEAD));
        assertThat(lines.get("pool idle memory").quantity()).isEqualByComparingTo("7.5");
        assertThat(lines.get("pool idle memory").amountUsd()).isEqualByComparingTo("0.000009260417");
        assertThat(lines.get("pool idle cpu").amountUsd()).isEqualByComparingTo("0.000002248889");
        assertThat(lines.get("pool idle standby").quantity()).isEqualByComparingTo("22.5");
        assertThat(lines.get("pool idle standby").amountUsd()).isEqualByComparingTo("0.000000684932");
        assertThat(written.get(0).lines().stream().map(CostLine::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0.000012194238");
    }

    @Test
    void a_clone_leased_as_soon_as_it_was_made_writes_nothing() throws Exception {
        List<PoolIdle> written = new ArrayList<>();
        IdleMeter meter = new IdleMeter("process", PriceTable.defaults(), written::add);

        meter.idled("abc", "sb-2", BUILT, BUILT, new Usage(Duration.ZERO, Duration.ZERO, Optional.of(Duration.ZERO),
                512L << 20, OptionalLong.empty(), OptionalLong.of(0)));
        meter.flush();
        meter.close();

        assertThat(written).isEmpty();
    }
}
