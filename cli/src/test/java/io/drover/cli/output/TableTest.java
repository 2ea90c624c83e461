package io.drover.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TableTest {
    @Test
    void columns_are_as_wide_as_their_widest_cell_and_absent_values_are_dashes() {
        StringWriter text = new StringWriter();
        new Table("ID", "NAME", "STATE").row(1, "a-long-name", "SUCCEEDED").row(12, null, "multi\nline")
                .print(new PrintWriter(text));

        assertThat(text.toString()).isEqualTo("""
                ID  NAME         STATE
                1   a-long-name  SUCCEEDED
                12  -            multi line
                """);
    }

    @Test
    void money_keeps_the_digits_that_matter() {
        assertThat(Values.usd(new java.math.BigDecimal("12.3456"))).isEqualTo("$12.35");
        assertThat(Values.usd(new java.math.BigDecimal("0.0412"))).isEqualTo("$0.0412");
        assertThat(Values.usd(new java.math.BigDecimal("0.000412345"))).isEqualTo("$0.000412");
    }
}
