package io.drover.sandbox.microvm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AccelerationTest {

    @Test
    void tcg_guests_are_told_the_host_tsc_frequency_from_cpuinfo() {
        assertThat(Acceleration.tscKhz("processor\t: 0\ncpu MHz\t\t: 2596.122\nflags\t: fpu\n")).isEqualTo(2_596_122);
        assertThat(Acceleration.tscKhz("no such line")).isEqualTo(2_000_000);
        Acceleration tcg = Acceleration.choose("tcg");
        assertThat(tcg.qemuAccel()).isEqualTo("tcg");
        assertThat(tcg.kernelFlags()).startsWith("tsc_early_khz=");
        assertThat(tcg.reason()).contains("TCG").contains("configured");
    }

    @Test
    void auto_uses_kvm_only_with_hardware_virtualization_and_says_why() throws Exception {
        Acceleration auto = Acceleration.choose("auto");
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        boolean hardware = cpuinfo.matches("(?s).*\\bflags\\s*:[^\\n]*\\b(vmx|svm)\\b.*");
        boolean usableKvm = hardware && Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"));
        assertThat(auto.isKvm()).isEqualTo(usableKvm);
        assertThat(auto.reason()).isNotBlank();
        if (!usableKvm) {
            assertThat(auto.kernelFlags()).startsWith("tsc_early_khz=");
        }
    }

    @Test
    void an_unknown_mode_names_the_setting_and_the_choices() {
        assertThatThrownBy(() -> Acceleration.choose("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drover.sandbox.microvm.accel").hasMessageContaining("auto, kvm or tcg");
    }
}
