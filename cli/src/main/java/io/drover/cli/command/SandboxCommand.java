package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.cli.ExitCode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Format;
import io.drover.cli.output.Json;
import io.drover.cli.output.Values;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Exec-API sandboxes: open one, run commands in it, remove it.",
            "open prints the sandbox's id and its own token; exec and rm take that token (--sandbox-token or"
                    + " env DROVER_SANDBOX_TOKEN), not the API token."},
        subcommands = {SandboxCommand.Open.class, SandboxCommand.Exec.class, SandboxCommand.Show.class,
            SandboxCommand.Remove.class})
final class SandboxCommand implements java.util.concurrent.Callable<Integer> {
    /** A base's setup or a command may take long; the server bounds both (a setup's and an exec's timeout). */
    private static final java.time.Duration LONG = java.time.Duration.ofHours(8);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "sandbox needs a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The sandbox's own token, which exec, show and rm are authorized by (not the API token). */
    static final class SandboxToken {
        @Option(names = "--sandbox-token", paramLabel = "TOKEN", required = true,
                defaultValue = "${env:DROVER_SANDBOX_TOKEN}", description = "the token open printed (env DROVER_SANDBOX_TOKEN)")
        String value;
    }

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Open a sandbox (POST /sandboxes).")
    static final class Open extends ApiCommand {
        @Option(names = "--driver", paramLabel = "DRIVER", description = "process or microvm (the server's default: process)")
        String driver;

        @Option(names = "--image", paramLabel = "IMAGE", description = "the base image (default: host)")
        String image;

        @Option(names = "--setup", paramLabel = "COMMAND", description = "a setup step (repeatable), run once per base")
        List<String> setup;

        @Option(names = "--snapshot", paramLabel = "HASH", description = "clone this ready base instead")
        String snapshot;

        @Option(names = "--memory-mb", paramLabel = "MB")
        Integer memoryMb;

        @Option(names = "--network", paramLabel = "POLICY", description = "none (default), egress, host:port allowlist...")
        String network;

        @Option(names = "--standby-after", paramLabel = "DURATION", description = "e.g. 15s")
        String standbyAfter;

        @Override
        public Integer call() {
            ObjectNode body = Json.object();
            put(body, "driver", driver);
            put(body, "image", image);
            put(body, "snapshot", snapshot);
            put(body, "network", network);
            put(body, "standbyAfter", standbyAfter);
            if (setup != null) {
                setup.forEach(body.putArray("setup")::add);
            }
            if (memoryMb != null) {
                body.putObject("resources").put("memoryMb", memoryMb);
            }
            return print(api().waiting(LONG).post("/sandboxes", body), s -> new Details().add("id", s.path("id").asText())
                    .add("token", s.path("token").asText()).add("driver", Values.text(s.get("driver")))
                    .add("state", Values.text(s.get("state"))).add("base", Values.text(s.get("base"))));
        }

        private static void put(ObjectNode body, String name, String value) {
            if (value != null) {
                body.put(name, value);
            }
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run a command in the sandbox (bash -c); prints its stdout and stderr and exits with its exit code.")
    static final class Exec extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "the command; put -- before it")
        List<String> command;

        @Mixin
        SandboxToken sandboxToken;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable (repeatable)")
        Map<String, String> env;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "e.g. 10m")
        String timeout;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("command", String.join(" ", command));
            if (env != null) {
                ObjectNode e = body.putObject("env");
                env.forEach(e::put);
            }
            if (timeout != null) {
                body.put("timeout", timeout);
            }
            JsonNode result = api().waiting(LONG).withToken(sandboxToken.value).post("/sandboxes/" + id + "/exec", body);
            if (format() == Format.JSON) {
                out().println(Json.pretty(result));
            } else {
                out().print(result.path("stdout").asText());
                err().print(result.path("stderr").asText());
            }
            out().flush();
            err().flush();
            return result.path("exitCode").asInt(ExitCode.JOB_FAILED);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The sandbox's state and usage.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        SandboxToken sandboxToken;

        @Override
        public Integer call() {
            return print(api().withToken(sandboxToken.value).get("/sandboxes/" + id), s -> {
                Details details = new Details();
                s.fields().forEachRemaining(f -> details.add(f.getKey(), Values.text(f.getValue())));
                return details;
            });
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Destroy the sandbox.")
    static final class Remove extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        SandboxToken sandboxToken;

        @Override
        public Integer call() {
            api().withToken(sandboxToken.value).delete("/sandboxes/" + id);
            return ExitCode.OK;
        }
    }
}
