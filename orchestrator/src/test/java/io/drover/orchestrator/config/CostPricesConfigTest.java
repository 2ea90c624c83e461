package io.drover.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.workers.cost.ModelPrice;
import io.drover.workers.cost.PriceTable;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostPricesConfigTest {
    private static PriceTable table(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(PricesConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return new CostBeans().priceTable(config.getConfigMapping(PricesConfig.class));
    }

    @Test
    void with_nothing_configured_the_table_is_the_documented_defaults() {
        assertThat(table(Map.of())).isEqualTo(PriceTable.defaults());
    }

    @Test
    void configured_models_and_tools_are_added_to_the_defaults() {
        PriceTable table = table(Map.of(
                "drover.prices.models.my-model.input-per-million", "1.5",
                "drover.prices.models.my-model.output-per-million", "6",
                "drover.prices.tools.github", "0.001",
                "drover.prices.memory-gb-hour", "0.0036",
                "drover.prices.network.egress-per-gb", "0.05"));

        assertThat(table.model("my-model")).contains(ModelPrice.of("1.5", "1.5", "6"));
        assertThat(table.model("gpt-4o")).isPresent();
        assertThat(table.toolCall("github")).isEqualByComparingTo("0.001");
        assertThat(table.memoryGibSecond()).isEqualByComparingTo("0.000001");
        assertThat(table.networkEgressGib()).isEqualByComparingTo("0.05");
    }

    @Test
    void a_negative_price_is_refused_naming_its_key() {
        assertThatThrownBy(() -> table(Map.of("drover.prices.vcpu-hour", "-1")))
                .hasMessageContaining("drover.prices.vcpu-hour");
    }
}
