package io.drover.orchestrator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sandbox.NetworkPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private final SpecValidator validator = new SpecValidator(new SpecValidator.Limits(100, Set.of("process"), "process", false));

    private JobSpec valid(String yaml) {
        return validator.validate(SpecParser.parse(yaml, false));
    }

    private List<FieldError> errors(String yaml) {
        try {
            valid(yaml);
        } catch (InvalidSpecException e) {
            return e.errors();
        }
        throw new AssertionError("the spec was accepted");
    }

    @Test
    void defaults_are_filled_in() {
        JobSpec spec = valid("""
                metadata: {name: defaults}
                spec:
                  fanout: {items: [a]}
                  task: {command: 'echo ${item}'}
                """);
        assertThat(spec.apiVersion()).isEqualTo("drover/v1");
        assertThat(spec.spec().sandbox().driver()).isEqualTo("process");
        assertThat(spec.spec().sandbox().image()).isEqualTo("host");
        assertThat(spec.spec().sandbox().resources().memoryMb()).isEqualTo(512);
        assertThat(spec.spec().sandbox().resources().diskMb()).as("the pool's default").isZero();
        assertThat(spec.spec().sandbox().standbyAfterMs()).isEqualTo(15_000);
        assertThat(spec.spec().task().timeoutMs()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(Fanouts.expand(spec.spec().fanout())).containsExactly("{\"item\":\"a\"}");
    }

    @Test
    void every_bad_field_is_reported_with_its_path() {
        List<FieldError> errors = errors("""
                kind: Deployment
                metadata: {name: "-bad-", labels: {team: [x]}}
                spec:
                  sandbox: {driver: firecracker, resources: {memoryMb: 1, cpus: 2}, setup: [make]}
                  fanout: {items: [a, [b], {}]}
                  task: {command: "echo ${missing}", env: {DROVER_X: y, "1A": z}, timeout: 1s5}
                  colour: blue
                """);
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
                "kind", "metadata.name", "metadata.labels.team", "spec.sandbox.driver",
                "spec.sandbox.resources.cpus", "spec.sandbox.resources.memoryMb", "spec.sandbox.setup",
                "spec.fanout.items[1]", "spec.fanout.items[2]", "spec.task.env.DROVER_X", "spec.task.env.1A",
                "spec.task.timeout", "spec.colour", "spec.task.command");
        assertThat(errors).filteredOn(e -> e.field().equals("spec.task.command")).singleElement()
                .extracting(FieldError::message).asString().contains("${missing}").contains("$missing");
    }

    @Test
    void disk_mb_outside_its_floor_and_ceiling_is_refused_naming_the_field() {
        for (String bad : List.of("15", "1048577", "0", "1.5", "'10240'")) {
            assertThat(errors("""
                    metadata: {name: disk}
                    spec:
                      sandbox: {resources: {diskMb: %s}}
                      fanout: {items: [a]}
                      task: {command: "true"}
                    """.formatted(bad))).extracting(FieldError::field).as(bad)
                    .containsExactly("spec.sandbox.resources.diskMb");
        }
        assertThat(valid("""
                metadata: {name: disk}
                spec:
                  sandbox: {resources: {diskMb: 64}}
                  fanout: {items: [a]}
                  task: {command: "true"}
                """).spec().sandbox().resources().diskMb()).isEqualTo(64);
    }

    @Test
    void network_policies_default_to_none_for_tasks_and_egress_for_setup() {
        JobSpec.Sandbox sandbox = valid("""
                metadata: {name: net}
                spec:
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """).spec().sandbox();

        assertThat(sandbox.network()).isEqualTo(NetworkPolicy.NONE);
        assertThat(sandbox.setupNetwork()).isEqualTo(NetworkPolicy.EGRESS);
    }

    @Test
    void an_allowlist_is_read_as_endpoints() {
        JobSpec.Sandbox sandbox = valid("""
                metadata: {name: net}
                spec:
                  sandbox:
                    network: {allow: ["registry.npmjs.org:443", "10.203.0.2:8080", "10.0.0.0/24:22"]}
                    setupNetwork: none
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """).spec().sandbox();

        assertThat(sandbox.network().mode()).isEqualTo(NetworkPolicy.Mode.ALLOW);
        assertThat(sandbox.network().allow()).containsExactly(new NetworkPolicy.Endpoint("registry.npmjs.org", 443),
                new NetworkPolicy.Endpoint("10.203.0.2", 8080), new NetworkPolicy.Endpoint("10.0.0.0/24", 22));
        assertThat(sandbox.setupNetwork()).isEqualTo(NetworkPolicy.NONE);
    }

    @Test
    void bad_network_policies_name_the_field_and_what_is_expected() {
        List<FieldError> errors = errors("""
                metadata: {name: net}
                spec:
                  sandbox:
                    network: {allow: ["*.debian.org:80", "example.org", "10.0.0.300:80", "x.org:99999", 7], deny: [a]}
                    setupNetwork: internet
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """);

        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("spec.sandbox.network.deny",
                "spec.sandbox.network.allow[0]", "spec.sandbox.network.allow[1]", "spec.sandbox.network.allow[2]",
                "spec.sandbox.network.allow[3]", "spec.sandbox.network.allow[4]", "spec.sandbox.setupNetwork");
        assertThat(errors).filteredOn(e -> e.field().endsWith("allow[0]")).singleElement()
                .extracting(FieldError::message).asString().contains("wildcard");
        assertThat(errors).filteredOn(e -> e.field().endsWith("allow[1]")).singleElement()
                .extracting(FieldError::message).asString().contains("host:port");
        assertThat(errors).filteredOn(e -> e.field().endsWith("setupNetwork")).singleElement()
                .extracting(FieldError::message).asString().contains("none, egress, host");
        assertThat(errors("""
                metadata: {name: net}
                spec:
                  sandbox: {network: {allow: []}}
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """)).extracting(FieldError::field).containsExactly("spec.sandbox.network.allow");
    }

    @Test
    void the_hosts_network_is_refused_unless_the_server_allows_it() {
        String yaml = """
                metadata: {name: net}
                spec:
                  sandbox: {network: host}
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """;

        assertThat(errors(yaml)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.sandbox.network");
            assertThat(e.message()).contains("drover.sandbox.allow-host-network");
        });
        SpecValidator permissive = new SpecValidator(new SpecValidator.Limits(100, Set.of("process"), "process", false,
                true));
        assertThat(permissive.validate(SpecParser.parse(yaml, false)).spec().sandbox().network())
                .isEqualTo(NetworkPolicy.HOST);
    }

    private static final SpecValidator WITH_VMS = new SpecValidator(new SpecValidator.Limits(100,
            Set.of("process", "microvm"), "process", true, false, Set.of("process")));

    @Test
    void a_driver_without_networking_takes_only_no_network() {
        String yaml = """
                metadata: {name: vm}
                spec:
                  fanout: {items: [a]}
                  sandbox: {driver: microvm, network: egress, setupNetwork: {allow: ["10.0.0.1:80"]}}
                  task: {command: 'true'}
                """;
        assertThatThrownBy(() -> WITH_VMS.validate(SpecParser.parse(yaml, false)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("spec.sandbox.network", "spec.sandbox.setupNetwork"));
    }

    @Test
    void a_driver_without_networking_defaults_both_networks_to_none() {
        JobSpec.Sandbox sandbox = WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: vm}
                spec: {fanout: {items: [a]}, sandbox: {driver: microvm, setup: ['echo hi']}, task: {command: 'true'}}
                """, false)).spec().sandbox();

        assertThat(sandbox.driver()).isEqualTo("microvm");
        assertThat(sandbox.network()).isEqualTo(NetworkPolicy.NONE);
        assertThat(sandbox.setupNetwork()).isEqualTo(NetworkPolicy.NONE);
        assertThat(WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: vm}
                spec:
                  fanout: {items: [a]}
                  sandbox: {driver: microvm, network: none, setupNetwork: none}
                  task: {command: 'true'}
                """, false)).spec().sandbox().setupNetwork()).isEqualTo(NetworkPolicy.NONE);
    }

    @Test
    void setup_on_a_driver_without_networking_that_asks_for_egress_is_told_the_field() {
        assertThatThrownBy(() -> WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: vm}
                spec: {fanout: {items: [a]}, sandbox: {driver: microvm, setupNetwork: egress}, task: {command: 'true'}}
                """, false))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("spec.sandbox.setupNetwork");
                            assertThat(error.message()).isEqualTo("must be none: sandboxes of the microvm driver have"
                                    + " no network");
                        }));
    }

    @Test
    void setup_on_a_networked_driver_still_defaults_to_egress_when_microvm_is_there_too() {
        JobSpec.Sandbox sandbox = WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: p}
                spec: {fanout: {items: [a]}, task: {command: 'true'}}
                """, false)).spec().sandbox();

        assertThat(sandbox.driver()).isEqualTo("process");
        assertThat(sandbox.setupNetwork()).isEqualTo(NetworkPolicy.EGRESS);
    }

    @Test
    void a_fanout_needs_exactly_one_form() {
        assertThat(errors("""
                metadata: {name: two}
                spec: {fanout: {items: [a], fromCommand: ls}, task: {command: 'true'}}
                """)).containsExactly(new FieldError("spec.fanout", "exactly one of items, matrix, fromCommand"));
        assertThat(errors("""
                metadata: {name: none}
                spec: {fanout: {}, task: {command: 'true'}}
                """)).containsExactly(new FieldError("spec.fanout", "exactly one of items, matrix, fromCommand"));
    }

    @Test
    void a_matrix_expands_to_its_cartesian_product_in_key_order() {
        JobSpec spec = valid("""
                metadata: {name: matrix}
                spec:
                  fanout: {matrix: {shard: [1, 2, 3], node: ["18", "20"]}}
                  task: {command: 'test ${shard} ${node}'}
                """);
        List<String> items = Fanouts.expand(spec.spec().fanout());
        assertThat(items).hasSize(6).startsWith("{\"shard\":1,\"node\":\"18\"}", "{\"shard\":1,\"node\":\"20\"}")
                .endsWith("{\"shard\":3,\"node\":\"20\"}");
    }

    @Test
    void fanouts_larger_than_the_limit_are_rejected() {
        assertThat(errors("""
                metadata: {name: big}
                spec: {fanout: {matrix: {a: [1,2,3,4,5,6,7,8,9,10], b: [1,2,3,4,5,6,7,8,9,10,11]}}, task: {command: 'true'}}
                """)).singleElement().extracting(FieldError::message).asString().contains("110 combinations");
    }

    @Test
    void a_budget_is_read_in_usd() {
        JobSpec spec = valid("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {maxCostUsd: 5.00, maxCostPerSubtaskUsd: 0.1}}
                """);

        assertThat(spec.spec().budget().maxCostUsd()).isEqualByComparingTo("5");
        assertThat(spec.spec().budget().maxCostPerSubtaskUsd()).isEqualByComparingTo("0.1");
    }

    @Test
    void on_exceeded_defaults_to_finish_running_and_stop_running_is_read() {
        JobSpec finish = valid("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {maxCostUsd: 1}}
                """);
        JobSpec stop = valid("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {maxCostUsd: 1, onExceeded: stop-running}}
                """);

        assertThat(finish.spec().budget().onExceeded()).isEqualTo("finish-running");
        assertThat(finish.spec().budget().stopRunning()).isFalse();
        assertThat(stop.spec().budget().stopRunning()).isTrue();
        assertThat(errors("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {maxCostUsd: 1, onExceeded: kill}}
                """)).singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("spec.budget.onExceeded");
                    assertThat(e.message()).contains("finish-running", "stop-running", "kill");
                });
    }

    @Test
    void bad_budgets_name_the_field() {
        assertThat(errors("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {maxCostUsd: 0, maxCostPerSubtaskUsd: cheap, onExceeded: stop}}
                """)).extracting(FieldError::field)
                .containsExactlyInAnyOrder("spec.budget.onExceeded", "spec.budget.maxCostUsd",
                        "spec.budget.maxCostPerSubtaskUsd");
        assertThat(errors("""
                metadata: {name: budgeted}
                spec: {fanout: {items: [a]}, task: {command: 'true'}, budget: {}}
                """)).singleElement().extracting(FieldError::field).isEqualTo("spec.budget");
    }

    @Test
    void syntax_errors_name_the_line() {
        assertThatThrownBy(() -> SpecParser.parse("metadata:\n  name: [unclosed\n", false))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("body: line 2");
    }

    @Test
    void durations_read_as_people_write_them() {
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("PT10M")).contains(Duration.ofMinutes(10));
        assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
        assertThat(Durations.parse("10")).isEmpty();
        assertThat(Durations.parse("1s5")).isEmpty();
        assertThat(Durations.parse("m")).isEmpty();
    }

    @Test
    void a_from_command_line_is_a_json_object_or_a_plain_item() {
        assertThat(Fanouts.itemOfLine("{\"repo\": \"a/b\"}")).isEqualTo("{\"repo\":\"a/b\"}");
        assertThat(Fanouts.itemOfLine("  src/main.c ")).isEqualTo("{\"item\":\"src/main.c\"}");
        assertThat(Fanouts.itemOfLine("{not json")).isEqualTo("{\"item\":\"{not json\"}");
    }

    @Test
    void a_retry_policy_is_read_with_its_defaults_and_its_errors() {
        JobSpec spec = valid("""
                metadata: {name: retry}
                spec:
                  fanout: {items: [a]}
                  task: {command: 'true'}
                  retry: {maxAttempts: 4, backoff: {initial: 2s, max: 1m}, retryOn: [{nonzero-exit: [75]}, timeout], doNotRetryOn: [2]}
                  concurrency: 5
                  priority: 10
                """);
        JobSpec.Retry retry = spec.spec().retry();
        assertThat(retry.maxAttempts()).isEqualTo(4);
        assertThat(retry.initialBackoffMs()).isEqualTo(2_000);
        assertThat(retry.multiplier()).isEqualTo(2.0);
        assertThat(retry.retryOn()).containsExactly("nonzero-exit", "timeout");
        assertThat(retry.retryOnExitCodes()).containsExactly(75);
        assertThat(retry.doNotRetryOn()).containsExactly(2);
        assertThat(spec.spec().concurrency()).isEqualTo(5);
        assertThat(spec.spec().priority()).isEqualTo(10);

        assertThat(errors("""
                metadata: {name: retry}
                spec:
                  fanout: {items: [a]}
                  task: {command: 'true'}
                  retry: {maxAttempts: 0, backoff: {initial: 1m, max: 1s}, retryOn: [flaky], doNotRetryOn: [300]}
                  concurrency: 0
                """)).extracting(FieldError::field).containsExactlyInAnyOrder("spec.retry.maxAttempts",
                "spec.retry.backoff.max", "spec.retry.retryOn[0]", "spec.retry.doNotRetryOn[0]", "spec.concurrency");
    }

    @Test
    void a_task_is_either_a_command_or_an_agent() {
        JobSpec agent = valid("""
                metadata: {name: agent}
                spec:
                  fanout: {items: [a]}
                  task: {agent: './review.sh ${item}'}
                """);
        assertThat(agent.spec().task().agent()).isEqualTo("./review.sh ${item}");
        assertThat(agent.spec().task().command()).isNull();
        assertThat(errors("""
                metadata: {name: both}
                spec: {fanout: {items: [a]}, task: {command: 'true', agent: 'true'}}
                """)).extracting(FieldError::field).containsExactly("spec.task");
        assertThat(errors("""
                metadata: {name: neither}
                spec: {fanout: {items: [a]}, task: {timeout: 1m}}
                """)).singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("spec.task.command");
                    assertThat(e.message()).contains("spec.task.agent");
                });
        assertThat(errors("""
                metadata: {name: placeholder}
                spec: {fanout: {items: [a]}, task: {agent: 'run ${missing}'}}
                """)).extracting(FieldError::field).containsExactly("spec.task.agent");
        assertThat(errors("""
                metadata: {name: blank}
                spec: {fanout: {items: [a]}, task: {agent: ' '}}
                """)).extracting(FieldError::field).containsExactly("spec.task.agent");
    }

    @Test
    void a_driver_that_failed_its_preflight_is_refused_with_its_reason() {
        SpecValidator without = new SpecValidator(new SpecValidator.Limits(100, Set.of(), "process", true, false,
                Set.of(), java.util.Map.of("process", "the process sandbox driver cannot run here: nft: not found")));

        assertThatThrownBy(() -> without.validate(SpecParser.parse("""
                metadata: {name: plain}
                spec: {fanout: {items: [a]}, task: {command: 'true'}}
                """, false)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.errors()).extracting(
                        FieldError::field, FieldError::message).contains(org.assertj.core.groups.Tuple.tuple(
                        "spec.sandbox.driver", "the process sandbox driver cannot run here: nft: not found;"
                                + " drivers available here: none")));
    }

    @Test
    void task_secrets_are_names_given_as_one_variable_or_one_file_each() {
        JobSpec spec = valid("""
                metadata: {name: secrets}
                spec:
                  fanout: {items: [a]}
                  task:
                    command: 'true'
                    secrets: [{name: db-password, env: DB_PASSWORD}, {name: tls.key, file: /tmp/certs/tls.key}]
                """);
        assertThat(spec.spec().task().secrets()).containsExactly(
                new io.drover.sandbox.secret.SecretRef("db-password", "DB_PASSWORD", null),
                new io.drover.sandbox.secret.SecretRef("tls.key", null, "/tmp/certs/tls.key"));

        List<FieldError> errors = errors("""
                metadata: {name: secrets}
                spec:
                  fanout: {items: [a]}
                  task:
                    command: 'true'
                    env: {TOKEN: plain}
                    secrets:
                      - {name: a, env: TOKEN}
                      - {name: b, env: B, file: /tmp/b}
                      - {name: c, file: /etc/shadow}
                      - {name: d, file: /workspace/../etc/x}
                      - {name: e, env: E}
                      - {name: f, env: E}
                      - {name: g, value: inline}
                """);
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("spec.task.secrets[0].env",
                "spec.task.secrets[1]", "spec.task.secrets[2].file", "spec.task.secrets[3].file",
                "spec.task.secrets[5].env", "spec.task.secrets[6].value", "spec.task.secrets[6]");

        assertThat(errors("""
                metadata: {name: agent-secrets}
                spec:
                  fanout: {items: [a]}
                  task: {agent: 'true', secrets: [{name: key, file: /tmp/key}]}
                """)).extracting(FieldError::field).containsExactly("spec.task.secrets[0].file");
    }

    @Test
    void setup_secrets_are_env_or_files_under_tmp_and_only_where_the_driver_keeps_them_out_of_the_base() {
        JobSpec spec = WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: setup-secrets}
                spec:
                  sandbox:
                    setup: ['npm ci']
                    setupSecrets: [{name: npm-token, env: NPM_TOKEN}, {name: npmrc, file: /tmp/npmrc}]
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """, false));
        assertThat(spec.spec().sandbox().setupSecrets()).containsExactly(
                new io.drover.sandbox.secret.SecretRef("npm-token", "NPM_TOKEN", null),
                new io.drover.sandbox.secret.SecretRef("npmrc", null, "/tmp/npmrc"));

        assertThatThrownBy(() -> WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: setup-secrets}
                spec:
                  sandbox:
                    setup: ['npm ci']
                    setupEnv: {NPM_TOKEN: plain}
                    setupSecrets:
                      - {name: a, env: NPM_TOKEN}
                      - {name: b, file: /workspace/.npmrc}
                      - {name: c, env: DROVER_X}
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """, false))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field).containsExactlyInAnyOrder("spec.sandbox.setupSecrets[0].env",
                        "spec.sandbox.setupSecrets[1].file", "spec.sandbox.setupSecrets[2].env"));

        assertThatThrownBy(() -> WITH_VMS.validate(SpecParser.parse("""
                metadata: {name: vm}
                spec:
                  sandbox: {driver: microvm, setup: ['true'], setupSecrets: [{name: a, env: A}]}
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """, false))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field).containsExactly("spec.sandbox.setupSecrets"));
    }
}
