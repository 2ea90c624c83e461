package io.drover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** Runs the drover command in this JVM, as a user would type it, and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    public record Result(int exitCode, String out, String err) {
        /** The value of a {@code name: value} line of a details table. */
        public String field(String name) {
            return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(name + ":")).findFirst()
                    .map(l -> l.substring(name.length() + 1).strip()).orElseThrow(() -> new AssertionError(this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code args} against {@code server} with {@code token}. */
    public static Result against(DroverServer server, String token, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--server";
        all[1] = server.url();
        all[2] = "--token";
        all[3] = token;
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
