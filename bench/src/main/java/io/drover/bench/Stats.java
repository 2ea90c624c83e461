package io.drover.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a sample of durations in milliseconds. */
final class Stats {
    private final List<Double> samples = new ArrayList<>();

    void add(double millis) {
        samples.add(millis);
    }

    void addNanos(long nanos) {
        add(nanos / 1e6);
    }

    int count() {
        return samples.size();
    }

    double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }

    double median() {
        return percentile(50);
    }

    static double median(List<Double> values) {
        Stats s = new Stats();
        values.forEach(s::add);
        return s.median();
    }
}
