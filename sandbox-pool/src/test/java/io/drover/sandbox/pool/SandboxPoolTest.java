package io.drover.sandbox.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.process.ProcessDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxPoolTest {
    private static final Resources SMALL = new Resources(64, 0.5, 64);

    @TempDir
    Path temp;
    private ProcessDriver driver;
    private SettableClock clock;
    private SandboxPool pool;
    private BaseSnapshot base;

    @BeforeEach
    void setUp() throws Exception {
        driver = new ProcessDriver(temp.resolve("sandboxes"));
        clock = new SettableClock();
        pool = new SandboxPool(driver, new PoolSettings(4, 2, 3, Duration.ofSeconds(15), Duration.ofHours(1)), clock,
                PoolListener.NONE);
        base = driver.prepareBase(BaseSpec.of("host"));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        driver.close();
    }

    private static String run(SandboxPool pool, Lease lease, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputSink sink = (b, o, l) -> out.write(b, o, l);
        ExecResult result = pool.exec(lease, new Command(script, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30),
                sink, sink)).await();
        assertThat(result.exitCode()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void after_the_first_lease_warm_clones_wait_and_the_next_lease_takes_one() throws Exception {
        Lease first = pool.lease(base, SMALL, Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.counts().get(SandboxState.WARM) == 2);

        Lease second = pool.lease(base, SMALL, Duration.ofSeconds(15));

        assertThat(second.id()).isNotEqualTo(first.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.counts().get(SandboxState.WARM) == 2);
        pool.release(first);
        pool.release(second);
        assertThat(pool.counts().get(SandboxState.ACTIVE)).isZero();
    }

    @Test
    void a_released_sandbox_is_destroyed_so_the_next_lease_starts_clean() throws Exception {
        Lease first = pool.lease(base, SMALL, Duration.ofSeconds(15));
        run(pool, first, "echo secret > note.txt");
        pool.release(first);

        Lease next = pool.lease(base, SMALL, Duration.ofSeconds(15));

        assertThat(run(pool, next, "ls")).doesNotContain("note.txt");
        pool.release(next);
    }

    @Test
    void idle_warm_clones_and_idle_leases_go_to_standby_and_an_exec_resumes_them() throws Exception {
        Lease lease = pool.lease(base, SMALL, Duration.ofSeconds(5));
        run(pool, lease, "echo kept > note.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.counts().get(SandboxState.WARM) == 2);

        clock.advance(Duration.ofSeconds(6));
        assertThat(pool.sweep()).as("the idle lease; the warm clones' window is 15 s").isEqualTo(1);
        assertThat(lease.state()).isEqualTo(SandboxState.STANDBY);
        clock.advance(Duration.ofSeconds(10));
        assertThat(pool.sweep()).as("now the warm clones too").isEqualTo(2);
        assertThat(pool.counts().get(SandboxState.STANDBY)).isEqualTo(3);

        assertThat(run(pool, lease, "cat note.txt")).isEqualTo("kept\n");
        assertThat(lease.state()).isNotEqualTo(SandboxState.STANDBY);
        assertThat(driver.usage(lease.sandbox()).standbyTime()).isPositive();
        pool.release(lease);
    }

    @Test
    void the_cap_counts_every_sandbox_and_warm_clones_of_other_bases_give_way() throws Exception {
        BaseSnapshot other = driver.prepareBase(new BaseSpec("host", java.util.List.of(), Map.of("OTHER", "1")));
        Lease a = pool.lease(other, SMALL, Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.counts().get(SandboxState.WARM) == 2);
        Lease b = pool.lease(base, SMALL, Duration.ofSeconds(15));
        Lease c = pool.lease(base, SMALL, Duration.ofSeconds(15));

        int total = pool.counts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isLessThanOrEqualTo(4);
        pool.release(a);
        pool.release(b);
        pool.release(c);
    }
}
