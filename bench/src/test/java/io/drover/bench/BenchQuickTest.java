package io.drover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CI runs the harness in quick mode: it must work end to end and report every benchmark. */
class BenchQuickTest {
    @Test
    void the_quick_mode_reports_every_benchmark_with_its_baseline() throws Exception {
        Report report = BenchMain.run(BenchMain.Sizes.QUICK);

        assertThat(report.rows()).extracting(Report.Row::id).contains("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9");
        assertThat(report.rows()).allSatisfy(row -> assertThat(row.drover()).doesNotContain("NaN"));
        assertThat(report.markdown()).contains("db-scheduler", "fork/exec true");
    }
}
