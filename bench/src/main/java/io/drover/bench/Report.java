package io.drover.bench;

import java.util.ArrayList;
import java.util.List;

/** The table the harness prints: each figure beside its baseline from the same run. */
final class Report {
    record Row(String id, String what, String drover, String baseline, String ratio) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String id, String what, String drover, String baseline, String ratio) {
        rows.add(new Row(id, what, drover, baseline, ratio));
        System.out.printf("%-3s %-58s %-26s %-30s %s%n", id, what, drover, baseline, ratio);
    }

    List<Row> rows() {
        return rows;
    }

    String markdown() {
        StringBuilder out = new StringBuilder("| id | what | Drover | baseline (same run) | ratio |\n|---|---|---|---|---|\n");
        rows.forEach(r -> out.append("| ").append(r.id()).append(" | ").append(r.what()).append(" | ").append(r.drover())
                .append(" | ").append(r.baseline()).append(" | ").append(r.ratio()).append(" |\n"));
        return out.toString();
    }

    static String ms(double value) {
        return String.format("%.2f ms", value);
    }

    static String ratio(double drover, double baseline) {
        return String.format("%.2fx", drover / baseline);
    }
}
