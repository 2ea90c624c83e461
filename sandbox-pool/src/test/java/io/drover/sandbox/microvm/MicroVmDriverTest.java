package io.drover.sandbox.microvm;

import static io.drover.sandbox.microvm.VmFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.microvm.VmFixture.Output;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The microvm driver on real QEMU guests (TCG here): one base whose setup runs once, clones of it
 * driven the way a job drives sandboxes. VMs are 256 MiB; every test destroys what it cloned.
 */
class MicroVmDriverTest {
    private static final Resources RESOURCES = new Resources(256, 1.0, 256);
    /** The setup draws a random marker once; every clone must read that same value. */
    private static final BaseSpec SPEC = new BaseSpec("host", List.of(
            "head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /workspace/marker",
            "echo ran >> /workspace/setup-runs"), Map.of());

    private static VmFixture fixture;
    private static MicroVmDriver driver;
    private static BaseSnapshot base;

    @BeforeAll
    static void prepare() throws Exception {
        fixture = new VmFixture();
        driver = fixture.driver();
        base = driver.prepareBase(SPEC);
    }

    @AfterAll
    static void cleanUp() {
        fixture.close();
    }

    @Test
    void a_job_of_four_subtasks_reads_the_marker_its_setup_wrote_once() throws Exception {
        assertThat(driver.prepareBase(SPEC).location()).isEqualTo(base.location()); // found, not built again
        ExecutorService subtasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<Output>> outputs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int item = i;
                outputs.add(subtasks.submit(() -> {
                    Sandbox sandbox = driver.clone(driver.prepareBase(SPEC), RESOURCES);
                    try {
                        return run(driver, sandbox, "echo item=" + item + " marker=$(cat /workspace/marker)"
                                + " runs=$(wc -l < /workspace/setup-runs)");
                    } finally {
                        driver.destroy(sandbox);
                    }
                }));
            }
            Set<String> markers = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                Output out = outputs.get(i).get();
                assertThat(out.result().succeeded()).as(out.stderr()).isTrue();
                assertThat(out.stdout()).startsWith("item=" + i + " marker=").endsWith(" runs=1\n");
                markers.add(out.stdout().replaceAll(".*marker=(\\S+).*\\n", "$1"));
            }
            assertThat(markers).hasSize(1);
            assertThat(markers.iterator().next()).matches("[0-9a-f]{16}");
        } finally {
            subtasks.shutdownNow();
        }
    }

    @Test
    void a_clone_writes_are_invisible_to_its_siblings_and_the_base() throws Exception {
        Sandbox a = driver.clone(base, RESOURCES);
        Sandbox b = driver.clone(base, RESOURCES);
        try {
            assertThat(run(driver, a, "echo mine > /workspace/marker; echo a > /workspace/only-a;"
                    + " echo ram > /tmp/only-a; sync").result().succeeded()).isTrue();
            Output seenByB = run(driver, b, "cat /workspace/marker; ls /workspace /tmp");
            assertThat(seenByB.stdout()).doesNotContain("mine").doesNotContain("only-a").contains("setup-runs");
            Sandbox later = driver.clone(base, RESOURCES);
            try {
                assertThat(run(driver, later, "cat /workspace/marker; ls /workspace /tmp").stdout())
                        .doesNotContain("mine").doesNotContain("only-a");
            } finally {
                driver.destroy(later);
            }
            assertThat(run(driver, a, "cat /workspace/marker /tmp/only-a").stdout()).isEqualTo("mine\nram\n");
        } finally {
            driver.destroy(a);
            driver.destroy(b);
        }
    }

    @Test
    void a_clone_writing_past_its_disk_mb_across_workspace_and_tmp_gets_enospc_and_disk_full_and_nothing_else_suffers()
            throws Exception {
        int diskMb = 64;
        Sandbox filler = driver.clone(base, RESOURCES.withDiskMb(diskMb));
        Sandbox other = driver.clone(base, RESOURCES);
        try {
            long freeBefore = Files.getFileStore(fixture.root).getUsableSpace();
            Output fill = run(driver, filler, "dd if=/dev/zero of=/workspace/fill bs=1M count=100 2>&1;"
                    + " dd if=/dev/zero of=/tmp/fill bs=1M count=100 2>&1", Duration.ofMinutes(3));
            long hostDrop = freeBefore - Files.getFileStore(fixture.root).getUsableSpace();

            assertThat(fill.stdout()).contains("No space left on device");
            assertThat(fill.result().termination()).as(fill.stdout()).isEqualTo(Termination.DISK_FULL);
            long written = Long.parseLong(run(driver, filler, "du -k -c /workspace/fill /tmp/fill | tail -1 | cut -f1")
                    .stdout().strip()) * 1024;
            assertThat(written).as("both files together").isGreaterThan(40L << 20).isLessThanOrEqualTo((long) diskMb << 20);
            assertThat(hostDrop).as("the host's free space drops by the limit at most").isLessThan((diskMb + 16L) << 20);
            assertThat(driver.usage(filler).diskBytes().orElseThrow()).as("metered: the blocks written")
                    .isBetween(written - (4L << 20), (diskMb + 8L) << 20);
            // Once space is freed, the sandbox writes again, and a failing command is no longer a full disk.
            Output freed = run(driver, filler, "rm /workspace/fill /tmp/fill; echo again > /tmp/x && cat /tmp/x; exit 3");
            assertThat(freed.stdout()).isEqualTo("again\n");
            assertThat(freed.result().termination()).isEqualTo(Termination.EXITED);

            Output fine = run(driver, other, "echo fine > /workspace/ok && cat /workspace/ok /workspace/marker && echo"
                    + " && df -k /workspace /tmp | tail -2");
            assertThat(fine.result().succeeded()).as(fine.stderr()).isTrue();
            assertThat(fine.stdout()).startsWith("fine\n");
            // the driver's default limit (10 GiB), not the filler's: one file system for /workspace and /tmp
            List<String> df = fine.stdout().lines().skip(2).toList();
            assertThat(df).hasSize(2).allSatisfy(line -> assertThat(Long.parseLong(line.split("\\s+")[1]))
                    .isGreaterThan(9L << 20));
        } finally {
            driver.destroy(filler);
            driver.destroy(other);
        }
    }

    @Test
    void clones_of_one_snapshot_get_their_own_random_state_and_hostname() throws Exception {
        Sandbox a = driver.clone(base, RESOURCES);
        Sandbox b = driver.clone(base, RESOURCES);
        try {
            String script = "cat /proc/sys/kernel/random/uuid; head -c 16 /dev/urandom | od -An -tx1; hostname";
            String fromA = run(driver, a, script).stdout();
            String fromB = run(driver, b, script).stdout();
            String[] linesA = fromA.split("\n");
            String[] linesB = fromB.split("\n");
            assertThat(linesA).hasSize(3);
            assertThat(linesA[0]).isNotEqualTo(linesB[0]);
            assertThat(linesA[1]).isNotEqualTo(linesB[1]);
            assertThat(linesA[2]).isEqualTo(a.id());
            assertThat(linesB[2]).isEqualTo(b.id());
            long now = System.currentTimeMillis() / 1000;
            long guestNow = Long.parseLong(run(driver, a, "date +%s").stdout().trim());
            assertThat(guestNow).isBetween(now - 5, now + 5); // the clock was set, not left at the base's save
        } finally {
            driver.destroy(a);
            driver.destroy(b);
        }
    }

    @Test
    void standby_frees_the_process_and_resume_keeps_files_and_running_processes() throws Exception {
        Sandbox sandbox = driver.clone(base, RESOURCES);
        try {
            assertThat(run(driver, sandbox, "echo kept > /workspace/kept; echo tmp > /tmp/kept").result().succeeded()).isTrue();
            ByteArrayOutputStream counter = new ByteArrayOutputStream();
            Execution loop = driver.exec(sandbox, new Command(
                    "i=0; while :; do i=$((i+1)); echo $i > /workspace/count; echo tick $i; sleep 0.2; done",
                    VmFixture.ENV, Duration.ofMinutes(5), VmFixture.sink(counter), VmFixture.sink(counter)));
            waitFor(() -> count(sandbox) >= 2);
            long pid = ((MicroVmSandbox) sandbox).vm().pid();

            driver.standby(sandbox);
            assertThat(sandbox.state()).isEqualTo(SandboxState.STANDBY);
            assertThat(ProcessHandle.of(pid)).isEmpty(); // the QEMU process is gone: only storage remains
            assertThat(driver.figures(sandbox)).isEqualTo(ProcessFigures.NONE);
            int ticksAtStandby = ticks(counter);
            Thread.sleep(1000);
            assertThat(ticks(counter)).isEqualTo(ticksAtStandby);

            Output after = run(driver, sandbox, "cat /workspace/kept /tmp/kept");  // exec resumes it
            assertThat(after.stdout()).isEqualTo("kept\ntmp\n");
            int countAfterResume = count(sandbox);
            waitFor(() -> count(sandbox) >= countAfterResume + 3); // the loop started before standby still runs
            waitFor(() -> ticks(counter) >= ticksAtStandby + 3);   // and its output still streams
            loop.kill();
            assertThat(loop.await().termination()).isEqualTo(Termination.KILLED);

            Usage usage = driver.usage(sandbox);
            assertThat(usage.standbyTime()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(usage.cpuTime()).hasValueSatisfying(cpu -> assertThat(cpu).isPositive());
            assertThat(usage.memoryPeakBytes().orElseThrow()).isPositive();
            assertThat(usage.diskBytes().orElseThrow()).isPositive();
        } finally {
            driver.destroy(sandbox);
        }
    }

    @Test
    void commands_get_exit_codes_separate_streams_their_exact_environment_and_timeouts() throws Exception {
        Sandbox sandbox = driver.clone(base, RESOURCES);
        try {
            Output out = run(driver, sandbox, "echo out; echo err >&2; echo \"$FOO/$HOME/$(pwd)\"; exit 7");
            assertThat(out.result().exitCode()).isEqualTo(7);
            assertThat(out.result().termination()).isEqualTo(Termination.EXITED);
            assertThat(out.stdout()).isEqualTo("out\n/" + "/" + "/workspace\n");
            assertThat(out.stderr()).isEqualTo("err\n");

            ByteArrayOutputStream both = new ByteArrayOutputStream();
            var sink = VmFixture.sink(both);
            driver.exec(sandbox, new Command("echo 1; echo 2 >&2; echo 3", Map.of("FOO", "bar"), Duration.ofSeconds(30),
                    sink, sink)).await();
            assertThat(both.toString(StandardCharsets.UTF_8)).isEqualTo("1\n2\n3\n");

            Output timedOut = run(driver, sandbox, "sleep 60", Duration.ofSeconds(2));
            assertThat(timedOut.result().termination()).isEqualTo(Termination.TIMED_OUT);
            assertThat(timedOut.result().wallTime()).isLessThan(Duration.ofSeconds(20));

            Output background = run(driver, sandbox, "sleep 300 & echo started");
            assertThat(background.stdout()).isEqualTo("started\n");
            assertThat(run(driver, sandbox, "ps -o comm | grep -c '^sleep' || true").stdout().trim()).isEqualTo("0");
        } finally {
            driver.destroy(sandbox);
        }
    }

    @Test
    void read_file_reads_workspace_files_and_refuses_links_and_other_paths() throws Exception {
        Sandbox sandbox = driver.clone(base, RESOURCES);
        try {
            run(driver, sandbox, "echo -n result > /workspace/out.txt; ln -s /etc/passwd /workspace/link;"
                    + " mkdir /workspace/d; ln -s /etc /workspace/d/e");
            assertThat(driver.readFile(sandbox, "/workspace/out.txt", 100)).hasValueSatisfying(
                    b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("result"));
            assertThat(driver.readFile(sandbox, "/workspace/out.txt", 3)).hasValueSatisfying(
                    b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("res"));
            assertThat(driver.readFile(sandbox, "/workspace/link", 100)).isEmpty();
            assertThat(driver.readFile(sandbox, "/workspace/d/e/passwd", 100)).isEmpty();
            assertThat(driver.readFile(sandbox, "/workspace/../etc/passwd", 100)).isEmpty();
            assertThat(driver.readFile(sandbox, "/workspace/missing", 100)).isEmpty();
            assertThatThrownBy(() -> driver.readFile(sandbox, "/etc/passwd", 100))
                    .hasMessageContaining("only files under /workspace/");
        } finally {
            driver.destroy(sandbox);
        }
    }

    @Test
    void a_failing_setup_step_keeps_no_base() throws Exception {
        BaseSpec failing = new BaseSpec("host", List.of("echo trying; exit 3"), Map.of());
        assertThatThrownBy(() -> driver.prepareBase(failing)).isInstanceOf(BaseSetupFailed.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("trying");
        assertThat(fixture.root.resolve("bases")).isDirectoryNotContaining(p -> p.getFileName().toString()
                .startsWith(failing.hash()) || p.getFileName().toString().startsWith(".building"));
        assertThat(VmFixture.qemuUnder(fixture.root.resolve("bases"))).isEmpty();
    }

    @Test
    void destroy_removes_the_process_and_everything_the_clone_owned() throws Exception {
        Sandbox sandbox = driver.clone(base, RESOURCES);
        MicroVmSandbox own = (MicroVmSandbox) sandbox;
        long pid = own.vm().pid();
        assertThat(own.dir().resolve("disk.qcow2")).exists();
        assertThat(own.dir().resolve("agent.sock")).exists();
        CompletableFuture<Termination> running = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.exec(sandbox, new Command("sleep 600", VmFixture.ENV, Duration.ofMinutes(10),
                        io.drover.sandbox.OutputSink.DISCARD, io.drover.sandbox.OutputSink.DISCARD)).await().termination();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        driver.destroy(sandbox);
        driver.destroy(sandbox); // safe twice
        assertThat(running.get()).isEqualTo(Termination.KILLED);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(own.dir()).doesNotExist();
        assertThat(driver.usage(sandbox).cpuTime()).hasValueSatisfying(cpu -> assertThat(cpu).isPositive());
        assertThatThrownBy(() -> driver.exec(sandbox, new Command("true", VmFixture.ENV, Duration.ofSeconds(5),
                io.drover.sandbox.OutputSink.DISCARD, io.drover.sandbox.OutputSink.DISCARD)))
                .hasMessageContaining("destroyed");
    }

    @Test
    void a_new_driver_reclaims_the_vms_of_a_dead_one() throws Exception {
        Owner dead = new Owner(999_999_999L, 1, 1); // no such process: its driver crashed
        MicroVmDriver crashed = new MicroVmDriver(fixture.settings(), dead);
        Sandbox orphan = crashed.clone(crashed.prepareBase(SPEC), RESOURCES);
        MicroVmSandbox own = (MicroVmSandbox) orphan;
        long pid = own.vm().pid();
        assertThat(own.dir()).exists();

        fixture.driver(); // its start-up reclaims what the dead driver left

        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(own.dir().getParent()).doesNotExist();
        crashed.close();
    }

    private static int count(Sandbox sandbox) {
        try {
            return driver.readFile(sandbox, "/workspace/count", 32).map(b -> new String(b, StandardCharsets.UTF_8).trim())
                    .filter(s -> !s.isEmpty()).map(Integer::parseInt).orElse(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int ticks(ByteArrayOutputStream counter) {
        synchronized (counter) {
            return (int) counter.toString(StandardCharsets.UTF_8).lines().count();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
