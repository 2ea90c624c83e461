package io.drover.cli.output;

import java.io.PrintWriter;

/** What a table-form answer prints as. */
public interface Printable {
    void print(PrintWriter out);
}
