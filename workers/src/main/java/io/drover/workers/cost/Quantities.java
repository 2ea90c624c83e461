package io.drover.workers.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The fixed scales of the ledger, so that the same figures always give the same amounts. */
public final class Quantities {
    /** Quantities keep 9 decimals (a nano-GiB-second). */
    public static final int QUANTITY_SCALE = 9;
    /** Amounts keep 12 decimals of a dollar; totals are sums of these, so they add up exactly. */
    public static final int AMOUNT_SCALE = 12;
    static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);
    static final BigDecimal MS_PER_SECOND = BigDecimal.valueOf(1000);
    static final BigDecimal TOKENS_PER_MILLION = BigDecimal.valueOf(1_000_000);

    private Quantities() {
    }

    /** Bytes in GiB, exactly (a power of two divides into a finite decimal). */
    public static BigDecimal gib(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BYTES_PER_GIB);
    }

    /** GiB-seconds of {@code bytes} held for {@code ms} milliseconds. */
    public static BigDecimal gibSeconds(long bytes, long ms) {
        return gib(bytes).multiply(seconds(ms)).setScale(QUANTITY_SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal seconds(long ms) {
        return BigDecimal.valueOf(ms).divide(MS_PER_SECOND);
    }

    public static BigDecimal millions(long tokens) {
        return BigDecimal.valueOf(tokens).divide(TOKENS_PER_MILLION);
    }

    public static BigDecimal amount(BigDecimal quantity, BigDecimal unitPrice) {
        return quantity.multiply(unitPrice).setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }
}
