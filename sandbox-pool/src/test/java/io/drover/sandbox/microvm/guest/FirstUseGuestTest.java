package io.drover.sandbox.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sandbox.SandboxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single flight and the guest dir lock, with a build function that counts its calls and
 * writes a stand-in image (empty kernel, initrd and disk; this jar's agent source hash), so that
 * no real build is needed. GuestFirstUseTest builds a real image once.
 */
@Timeout(60)
class FirstUseGuestTest {
    @TempDir
    Path tmp;
    private final AtomicInteger builds = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void concurrent_first_uses_wait_for_one_build_and_get_its_image() throws Exception {
        Path dir = tmp.resolve("guest");
        FirstUseGuest guest = new FirstUseGuest(dir, true, d -> {
            builds.incrementAndGet();
            release.await();
            writeImage(d);
        });
        List<CompletableFuture<GuestImage>> images = callersWaitingForOneBuild(guest, 4);
        release.countDown();

        List<String> ids = new ArrayList<>();
        for (CompletableFuture<GuestImage> image : images) {
            ids.add(image.get(20, TimeUnit.SECONDS).id());
        }
        assertThat(builds).hasValue(1);
        assertThat(ids).containsOnly(GuestImage.find(dir).orElseThrow().id());
        assertThat(guest.image().id()).isEqualTo(ids.get(0));
        assertThat(builds).hasValue(1);
    }

    @Test
    void a_failed_build_fails_every_caller_waiting_for_it_and_the_next_use_builds_again() throws Exception {
        Path dir = tmp.resolve("guest");
        FirstUseGuest guest = new FirstUseGuest(dir, true, d -> {
            if (builds.incrementAndGet() == 1) {
                release.await();
                throw new SandboxException("build-guest.sh exited with 2; last output:\nbuild-guest: apt-get download failed");
            }
            writeImage(d);
        });
        List<CompletableFuture<GuestImage>> images = callersWaitingForOneBuild(guest, 2);
        release.countDown();

        for (CompletableFuture<GuestImage> image : images) {
            assertThatThrownBy(() -> image.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SandboxException.class)
                    .cause().hasMessageContaining("apt-get download failed");
        }
        assertThat(guest.image().dir()).isEqualTo(dir);
        assertThat(builds).hasValue(2);
    }

    @Test
    void a_guest_dir_another_process_builds_into_is_waited_for_and_its_image_used() throws Exception {
        Path dir = tmp.resolve("guest");
        FirstUseGuest guest = new FirstUseGuest(dir, true, d -> {
            builds.incrementAndGet();
            writeImage(d);
        });
        Process other = holdLock(dir.resolveSibling("guest.lock"));
        try {
            CompletableFuture<GuestImage> image = new CompletableFuture<>();
            start(() -> image.complete(guest.image()), image);
            // This process's build waits on the other's lock (a blocked request in /proc/locks) ...
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(FirstUseGuestTest::blockedOnALock);
            // ... while that one builds, and then uses its image instead of building one.
            writeImage(dir);
            other.getOutputStream().close();
            assertThat(image.get(20, TimeUnit.SECONDS).id()).isEqualTo(GuestImage.find(dir).orElseThrow().id());
            assertThat(builds).hasValue(0);
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
    }

    @Test
    void a_missing_image_is_not_built_when_building_is_off() {
        Path dir = tmp.resolve("guest");
        FirstUseGuest guest = new FirstUseGuest(dir, false, d -> builds.incrementAndGet());

        assertThatThrownBy(guest::image).isInstanceOf(SandboxException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("drover.sandbox.microvm.build-guest is false");
        assertThat(builds).hasValue(0);
    }

    /** A stand-in image: GuestImage.find accepts it; every build's id differs. */
    static void writeImage(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String file : List.of("vmlinuz", "initrd.img", "workspace.qcow2")) {
                Files.write(dir.resolve(file), new byte[0]);
            }
            Files.writeString(dir.resolve("guest.properties"), "kernel=test\nagentProtocol=1\nagentSource="
                    + GuestImage.agentSource() + "\nbuiltAt=" + System.nanoTime() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} callers of {@link FirstUseGuest#image()}, returned once all of them wait for the one build begun. */
    private List<CompletableFuture<GuestImage>> callersWaitingForOneBuild(FirstUseGuest guest, int n) {
        List<Thread> callers = new ArrayList<>();
        List<CompletableFuture<GuestImage>> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<GuestImage> image = new CompletableFuture<>();
            images.add(image);
            callers.add(start(() -> image.complete(guest.image()), image));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> builds.get() == 1
                && callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        return images;
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Thread start(Call call, CompletableFuture<?> result) {
        Thread thread = new Thread(() -> {
            try {
                call.run();
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        return thread;
    }

    /** Another JVM that holds {@code lockFile} as a running build does, until its stdin closes. */
    private Process holdLock(Path lockFile) throws IOException {
        Path source = tmp.resolve("HoldLock.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class HoldLock {
                    public static void main(String[] args) throws Exception {
                        try (var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE); var lock = channel.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), lockFile.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return process;
    }

    /** Whether a lock request of this process waits in /proc/locks (its lines with "->"). */
    private static boolean blockedOnALock() throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .anyMatch(line -> line.contains("->") && List.of(line.trim().split("\\s+")).contains(pid));
    }
}
