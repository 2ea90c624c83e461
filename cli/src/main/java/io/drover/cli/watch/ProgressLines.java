package io.drover.cli.watch;

import io.drover.cli.output.Values;
import java.io.PrintWriter;
import java.time.Duration;

/** Progress for a log or a pipe: a plain line when something changed, at most every few seconds, and one at the end. */
public final class ProgressLines implements Progress {
    private final PrintWriter out;
    private final Duration every;
    private Duration lastAt;
    private String last = "";

    public ProgressLines(PrintWriter out, Duration every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void update(JobProgress p) {
        String line = line(p);
        if (line.equals(last) || (lastAt != null && p.elapsed().minus(lastAt).compareTo(every) < 0)) {
            return;
        }
        print(p, line);
    }

    @Override
    public void end(JobProgress p) {
        String line = line(p);
        if (!line.equals(last)) {
            print(p, line);
        }
    }

    private void print(JobProgress p, String line) {
        out.println(line + "  elapsed " + Values.duration(p.elapsed()) + "  " + p.cost().map(Values::usd).orElse("$?"));
        out.flush();
        last = line;
        lastAt = p.elapsed();
    }

    private static String line(JobProgress p) {
        return "job " + p.job() + " " + p.state() + "  " + p.counts();
    }
}
