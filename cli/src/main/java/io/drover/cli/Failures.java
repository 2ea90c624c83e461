package io.drover.cli;

import io.drover.cli.http.ApiException;
import io.drover.cli.output.ProblemText;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what a command threw into a message on stderr and an {@link ExitCode}. */
final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        var err = commandLine.getErr();
        if (e instanceof ApiException api) {
            err.println(ProblemText.of(api));
        } else if (e instanceof UsageException || e instanceof UncheckedIOException) {
            err.println("drover: " + e.getMessage());
        } else {
            err.println("drover: " + e);
        }
        err.flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ApiException api) {
            return api.exitCode();
        }
        if (e instanceof UsageException || e instanceof UncheckedIOException) {
            return ExitCode.USAGE;
        }
        return ExitCode.REFUSED;
    }
}
