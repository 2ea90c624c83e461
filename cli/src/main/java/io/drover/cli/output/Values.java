package io.drover.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Cells made from JSON values: {@code -} for what is absent, short forms for durations and money. */
public final class Values {
    private Values() {
    }

    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : Json.compact(node);
    }

    public static String usd(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        return usd(node.decimalValue());
    }

    public static String usd(BigDecimal amount) {
        BigDecimal abs = amount.abs();
        int scale = abs.compareTo(BigDecimal.ONE) >= 0 ? 2 : abs.compareTo(new BigDecimal("0.01")) >= 0 ? 4 : 6;
        return "$" + amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    public static String millis(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        return duration(Duration.ofMillis(node.asLong()));
    }

    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
