package io.drover.persistence.cost;

import java.util.Locale;

/** What a cost line pays for; the names are the values of {@code cost_line.dimension}. */
public enum CostDimension {
    COMPUTE, TOKENS, TOOLS, STORAGE, NETWORK, OVERHEAD;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CostDimension ofColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
