package io.drover.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Checked;
import io.drover.sandbox.preflight.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The microvm driver's start-up checks where they need no VM: QEMU missing, the guest image not built yet. */
class MicroVmPreflightTest {
    @TempDir
    Path root;
    @TempDir
    Path guests;

    private MicroVmSettings settings(boolean buildGuest) {
        return MicroVmSettings.defaults(root).withGuest(guests.resolve("guest"), buildGuest);
    }

    @Test
    void a_qemu_that_is_not_there_fails_the_preflight_saying_what_to_install() {
        Checked<MicroVmDriver> started = MicroVmDriver.start(settings(true).withQemu(Path.of("/opt/none/qemu-system-x86_64")));

        assertThat(started.driver()).isEmpty();
        assertThat(started.preflight().reason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the microvm sandbox driver cannot run here: qemu: /opt/none/qemu-system-x86_64 not found")
                .contains("drover.sandbox.microvm.qemu").contains("apt-get install qemu-system-x86 qemu-utils"));
    }

    @Test
    void a_missing_guest_image_passes_as_built_on_first_use_without_building_or_booting_anything() throws Exception {
        Checked<MicroVmDriver> started = MicroVmDriver.start(settings(true));
        try {
            Preflight preflight = started.preflight();
            assertThat(preflight.passed()).as("%s", preflight).isTrue();
            assertThat(started.driver()).isPresent();
            assertThat(preflight.checks()).extracting(Check::name).containsExactly("qemu", "acceleration", "guest image",
                    "disk limit");
            assertThat(preflight.checks().get(0).detail()).startsWith("QEMU emulator version");
            assertThat(preflight.checks().get(1).detail()).containsAnyOf("KVM", "TCG");
            assertThat(preflight.checks().get(2).detail()).contains("not built yet in " + guests.resolve("guest"))
                    .contains("built on first use from Debian packages").contains("no canary VM at start-up");
            assertThat(preflight.checks().get(3).detail()).contains("resources.diskMb").contains("mke2fs");
            assertThat(guests).isEmptyDirectory();
            assertThat(VmFixture.qemuUnder(root)).isEmpty();
        } finally {
            started.driver().ifPresent(MicroVmDriver::close);
        }
    }

    @Test
    void a_missing_guest_image_fails_the_preflight_naming_guest_dir_when_build_guest_is_off() {
        Checked<MicroVmDriver> started = MicroVmDriver.start(settings(false));

        assertThat(started.driver()).isEmpty();
        Check guest = started.preflight().checks().get(started.preflight().checks().size() - 1);
        assertThat(guest.name()).isEqualTo("guest image");
        assertThat(guest.passed()).isFalse();
        assertThat(guest.detail()).contains(guests.resolve("guest").toString())
                .contains("drover.sandbox.microvm.guest-dir").contains("build-guest is false");
        assertThat(Files.exists(root.resolve("vms"))).isFalse();
    }
}
