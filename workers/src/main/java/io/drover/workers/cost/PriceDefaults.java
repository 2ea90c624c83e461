package io.drover.workers.cost;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The default prices, in the units their public sources publish them (US East, on-demand, as
 * listed in late 2025; check before relying on them). Constants so that the typed configuration
 * can name them as its defaults and this table stays the one place they are written.
 */
public final class PriceDefaults {
    /** AWS Fargate, Linux/x86, us-east-1: USD 0.004445 per GB-hour of memory (aws.amazon.com/fargate/pricing). */
    public static final String MEMORY_GB_HOUR = "0.004445";
    /** AWS Fargate, Linux/x86, us-east-1: USD 0.04048 per vCPU-hour (aws.amazon.com/fargate/pricing). */
    public static final String VCPU_HOUR = "0.04048";
    /**
     * Standby memory is priced as storage, like a paused micro-VM whose memory image sits on disk:
     * Amazon EBS gp3, USD 0.08 per GB-month (aws.amazon.com/ebs/pricing).
     */
    public static final String STANDBY_GB_MONTH = "0.08";
    /** A sandbox's upper dir: Amazon EBS gp3, USD 0.08 per GB-month (aws.amazon.com/ebs/pricing). */
    public static final String STORAGE_GB_MONTH = "0.08";
    /**
     * Bytes a sandbox sends out: AWS data transfer out from EC2 to the internet, first 10 TB a
     * month, USD 0.09 per GB (aws.amazon.com/ec2/pricing/on-demand).
     */
    public static final String NETWORK_EGRESS_GB = "0.09";
    /** Tool calls cost nothing unless a price is configured for the tool. */
    public static final String TOOL_CALL = "0";

    private PriceDefaults() {
    }

    /**
     * Per million tokens: input, cached input, output. OpenAI (openai.com/api/pricing) and
     * Anthropic (anthropic.com/pricing; cached input = cache read).
     */
    public static Map<String, ModelPrice> models() {
        return Map.of(
                "gpt-4o", ModelPrice.of("2.50", "1.25", "10.00"),
                "gpt-4o-mini", ModelPrice.of("0.15", "0.075", "0.60"),
                "claude-sonnet-4", ModelPrice.of("3.00", "0.30", "15.00"),
                "claude-3-5-haiku", ModelPrice.of("0.80", "0.08", "4.00"));
    }

    static BigDecimal decimal(String value) {
        return new BigDecimal(value);
    }
}
