package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.secret.SecretRef;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BaseSetupTest {
    private final DriverFixture fixture = new DriverFixture();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void setup_runs_once_for_twenty_concurrent_clones() throws Exception {
        ProcessDriver driver = fixture.driver();
        BaseSpec spec = new BaseSpec("host", List.of("echo built >> /workspace/counter", "mkdir -p /workspace/app"),
                Map.of());
        List<String> builds = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(BaseBuilder.class.getName());
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage().startsWith("Building base")) {
                    builds.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(counter);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> outputs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                outputs.add(pool.submit((Callable<String>) () -> {
                    Sandbox sandbox = DriverFixture.cloneOf(driver, spec, new Resources(128, 0.5, 64));
                    try {
                        return run(driver, sandbox, "wc -l < counter; pwd").stdout();
                    } finally {
                        driver.destroy(sandbox);
                    }
                }));
            }
            for (Future<String> output : outputs) {
                assertThat(output.get()).isEqualTo("1\n/workspace\n");
            }
            // Each build starts from an empty layer, so the counter alone cannot tell one build from two.
            assertThat(builds).hasSize(1);
        } finally {
            pool.shutdownNow();
            log.removeHandler(counter);
        }
    }

    @Test
    void files_made_by_setup_are_in_every_clone_at_workspace() throws Exception {
        ProcessDriver driver = fixture.driver();
        BaseSpec spec = new BaseSpec("host", List.of("mkdir -p /workspace/app && echo \"$GREETING\" > /workspace/app/hello"),
                Map.of("GREETING", "hi from setup"));
        Sandbox sandbox = DriverFixture.cloneOf(driver, spec, Resources.DEFAULT);

        assertThat(run(driver, sandbox, "cat app/hello").stdout()).isEqualTo("hi from setup\n");
        driver.destroy(sandbox);
    }

    @Test
    void a_failing_setup_reports_its_exit_code_and_output_and_leaves_no_base() throws Exception {
        ProcessDriver driver = fixture.driver();
        BaseSpec spec = new BaseSpec("host", List.of("echo preparing", "echo something broke >&2; exit 7"), Map.of());

        assertThatThrownBy(() -> driver.prepareBase(spec)).isInstanceOfSatisfying(BaseSetupFailed.class, e -> {
            assertThat(e.exitCode()).isEqualTo(7);
            assertThat(e.logTail()).contains("preparing").contains("something broke");
        });
        assertThat(fixture.root.resolve("bases").resolve(spec.hash()).resolve("base.properties")).doesNotExist();
        // Nothing was cached: the next call runs setup again (and fails again).
        assertThatThrownBy(() -> driver.prepareBase(spec)).isInstanceOf(BaseSetupFailed.class);
    }

    @Test
    void a_restarted_driver_reuses_a_ready_base_without_running_setup() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("echo built >> /workspace/counter"), Map.of());
        ProcessDriver first = fixture.driver();
        BaseSnapshot built = first.prepareBase(spec);
        first.close();

        ProcessDriver second = fixture.driver();
        BaseSnapshot reused = second.prepareBase(spec);
        assertThat(reused.buildTime().toMillis()).isEqualTo(built.buildTime().toMillis());
        assertThat(reused.sizeBytes()).isEqualTo(built.sizeBytes()).isPositive();
        assertThat(Files.readString(reused.location().resolve("counter"))).isEqualTo("built\n");
    }

    @Test
    void setup_secrets_reach_the_steps_stay_out_of_the_base_and_are_redacted_from_the_setup_log() throws Exception {
        ProcessDriver driver = fixture.driver();
        String value = "s3cr3t-registry-token";
        BaseSpec spec = new BaseSpec("host", List.of(
                "test \"$REGISTRY_TOKEN\" = " + value + " && test \"$(cat /tmp/auth/token)\" = " + value,
                "stat -c %a /tmp/auth/token; echo \"using $REGISTRY_TOKEN\"; echo done > /workspace/built"),
                Map.of(), null, "acme", List.of(new SecretRef("registry", "REGISTRY_TOKEN", null),
                        new SecretRef("registry", null, "/tmp/auth/token")), Map.of("registry", value));
        BaseSnapshot base = driver.prepareBase(spec);

        try (var files = Files.walk(base.location())) {
            for (var file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).doesNotContain(value);
            }
        }
        assertThat(base.location().resolve("tmp")).doesNotExist();
        Sandbox sandbox = driver.clone(base, Resources.DEFAULT);
        try {
            assertThat(run(driver, sandbox, "cat built; ls /tmp; echo \"[$REGISTRY_TOKEN]\"").stdout())
                    .isEqualTo("done\n[]\n");
        } finally {
            driver.destroy(sandbox);
        }

        BaseSpec failing = new BaseSpec("host", List.of("echo \"token is $REGISTRY_TOKEN\"; exit 3"), Map.of(), null,
                "acme", List.of(new SecretRef("registry", "REGISTRY_TOKEN", null)), Map.of("registry", value));
        assertThatThrownBy(() -> driver.prepareBase(failing)).isInstanceOfSatisfying(BaseSetupFailed.class, e -> {
            assertThat(e.logTail()).contains("token is [redacted:registry]").doesNotContain(value);
            assertThat(e.getMessage()).doesNotContain(value);
        });
    }
}
