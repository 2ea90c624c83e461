package io.drover.workers.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** What one LLM model's tokens cost, in USD per million tokens. */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion, BigDecimal outputPerMillion) {

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(cachedInputPerMillion, "cachedInputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    }

    public static ModelPrice of(String input, String cachedInput, String output) {
        return new ModelPrice(new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output));
    }
}
