package io.drover.cli.watch;

import io.drover.cli.output.Values;
import java.io.PrintWriter;

/** A terminal's progress: one line, redrawn in place with {@code \r}, cleared to its end. */
public final class ProgressBar implements Progress {
    private static final int WIDTH = 24;
    private static final String CLEAR_TO_END = "\033[K";
    private final PrintWriter out;

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(JobProgress p) {
        out.print("\r" + line(p) + CLEAR_TO_END);
        out.flush();
    }

    @Override
    public void end(JobProgress last) {
        update(last);
        out.println();
        out.flush();
    }

    static String line(JobProgress p) {
        int filled = p.total() == 0 ? 0 : (int) (WIDTH * p.done() / p.total());
        return "job " + p.job() + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + p.counts()
                + "  " + String.format("%.1f/s", p.rate())
                + "  ETA " + p.eta().map(Values::duration).orElse("?")
                + "  " + p.cost().map(Values::usd).orElse("$?") + "  " + p.state();
    }
}
