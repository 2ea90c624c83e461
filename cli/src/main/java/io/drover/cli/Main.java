package io.drover.cli;

import io.drover.cli.command.DroverCommand;
import picocli.CommandLine;

/** The {@code drover} command: parses the arguments, runs one command, exits with its {@link ExitCode}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new DroverCommand())
                .setExecutionExceptionHandler(new Failures())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
