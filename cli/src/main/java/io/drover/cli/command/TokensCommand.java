package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.cli.ExitCode;
import io.drover.cli.output.Details;
import io.drover.cli.output.Json;
import io.drover.cli.output.Table;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens of the caller's tenant (admin role).",
        subcommands = {TokensCommand.Create.class, TokensCommand.List.class, TokensCommand.Revoke.class})
final class TokensCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "tokens needs a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a token; its secret is printed this once (the server keeps only its SHA-256).")
    static final class Create extends ApiCommand {
        @Option(names = "--role", paramLabel = "ROLE", required = true, description = "admin, submit or read")
        String role;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "default: the caller's; only the admin token names another")
        String tenant;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "30d, 12h, 90m or ISO-8601; default: never")
        String expiresIn;

        @Option(names = "--name", paramLabel = "NAME", description = "what the token is for")
        String name;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("role", role);
            if (tenant != null) {
                body.put("tenant", tenant);
            }
            if (expiresIn != null) {
                body.put("expiresIn", expiresIn);
            }
            if (name != null) {
                body.put("name", name);
            }
            return print(api().post("/tokens", body), t -> new Details().add("token", t.path("token").asText())
                    .add("id", t.path("id").asText()).add("tenant", Values.text(t.get("tenant")))
                    .add("role", Values.text(t.get("role"))).add("name", Values.text(t.get("name")))
                    .add("expires", Values.text(t.get("expiresAt")))
                    .add("note", "the token is shown this once: keep it now"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenant's tokens, revoked ones too, without secrets.")
    static final class List extends ApiCommand {
        @Override
        public Integer call() {
            return print(api().get("/tokens"), list -> {
                Table table = new Table("ID", "TENANT", "ROLE", "NAME", "PREFIX", "CREATED", "EXPIRES", "REVOKED");
                for (JsonNode t : list) {
                    table.row(t.path("id").asText(), Values.text(t.get("tenant")), Values.text(t.get("role")),
                            Values.text(t.get("name")), Values.text(t.get("prefix")), Values.text(t.get("createdAt")),
                            Values.text(t.get("expiresAt")), Values.text(t.get("revokedAt")));
                }
                return table;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once, on every replica.")
    static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            api().delete("/tokens/" + id);
            err().println("token " + id + " revoked");
            err().flush();
            return ExitCode.OK;
        }
    }
}
