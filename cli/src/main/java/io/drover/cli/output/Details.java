package io.drover.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** One thing's fields, one per line: {@code name:  value}, the values aligned. */
public final class Details implements Printable {
    private final List<String[]> lines = new ArrayList<>();

    public Details add(String name, Object value) {
        lines.add(new String[] {name, value == null ? "-" : value.toString()});
        return this;
    }

    @Override
    public void print(PrintWriter out) {
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        for (String[] line : lines) {
            out.println(line[0] + ":" + " ".repeat(width - line[0].length() + 2) + line[1]);
        }
        out.flush();
    }
}
