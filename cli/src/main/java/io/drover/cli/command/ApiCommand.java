package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.ExitCode;
import io.drover.cli.http.Api;
import io.drover.cli.output.Format;
import io.drover.cli.output.Json;
import io.drover.cli.output.Printable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the API and prints the answer as a table or as the server's JSON. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private DroverCommand root() {
        return (DroverCommand) spec.root().userObject();
    }

    Api api() {
        return root().api();
    }

    Format format() {
        return root().output();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code answer} as JSON, or as the table {@code table} makes of it; exit 0. */
    int print(JsonNode answer, Function<JsonNode, ? extends Printable> table) {
        if (format() == Format.JSON) {
            out().println(Json.pretty(answer));
            out().flush();
        } else {
            table.apply(answer).print(out());
        }
        return ExitCode.OK;
    }
}
