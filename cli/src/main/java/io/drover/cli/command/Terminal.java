package io.drover.cli.command;

/** Whether a person is watching: a console on both ends, and a terminal that can redraw a line. */
final class Terminal {
    private Terminal() {
    }

    static boolean interactive() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.isBlank() && !"dumb".equals(term);
    }
}
