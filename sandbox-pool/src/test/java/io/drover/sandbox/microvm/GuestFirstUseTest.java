package io.drover.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.microvm.guest.GuestBuild;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Checked;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest image built on first use, for real: build-guest.sh from Debian packages into an empty
 * guest dir (not the shared cache, and no copy of it: the image these VMs boot is the one this
 * build made), counted by a wrapper of the real build. About 10 s of build with Debian's archive
 * near, one cold boot for the base, two clones. FirstUseGuestTest covers the single flight's
 * failure and cross-process cases without a real build.
 */
class GuestFirstUseTest {
    private static final Resources RESOURCES = new Resources(256, 1.0, 256);

    @TempDir
    Path guests;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void two_concurrent_first_uses_build_the_guest_image_once_and_boot_it() throws Exception {
        Path dir = guests.resolve("guest");
        AtomicInteger builds = new AtomicInteger();
        try (VmFixture fixture = new VmFixture()) {
            MicroVmDriver driver = fixture.driver(dir, d -> {
                builds.incrementAndGet();
                GuestBuild.run(d);
            });
            List<CompletableFuture<BaseSnapshot>> bases = List.of(prepare(driver), prepare(driver));

            Path location = bases.get(0).get(10, TimeUnit.MINUTES).location();
            assertThat(bases.get(1).get(10, TimeUnit.MINUTES).location()).isEqualTo(location);
            assertThat(builds).hasValue(1);
            GuestImage image = GuestImage.find(dir).orElseThrow();
            assertThat(location.getFileName().toString()).contains(image.id());
            Sandbox sandbox = driver.clone(bases.get(0).get(), RESOURCES);
            try {
                assertThat(VmFixture.run(driver, sandbox, "uname -r").stdout().trim())
                        .isEqualTo(image.properties().getProperty("kernel"));
            } finally {
                driver.destroy(sandbox);
            }

            // Once it is there, start-up checks it and boots a canary (a clone of the base above).
            Checked<MicroVmDriver> started = MicroVmDriver.start(fixture.settings().withGuest(dir, true));
            started.driver().ifPresent(fixture::track);
            assertThat(started.preflight().passed()).as("%s", started.preflight()).isTrue();
            assertThat(started.preflight().checks()).extracting(Check::name)
                    .containsExactly("qemu", "acceleration", "guest image", "disk limit", "canary");
            assertThat(started.preflight().checks().get(2).detail()).startsWith(image.id() + " in " + dir);
            assertThat(builds).hasValue(1);
        }
    }

    private static CompletableFuture<BaseSnapshot> prepare(MicroVmDriver driver) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return driver.prepareBase(BaseSpec.of("host"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
