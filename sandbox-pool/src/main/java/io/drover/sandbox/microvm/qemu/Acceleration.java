package io.drover.sandbox.microvm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How guests run: KVM when it really accelerates (a /dev/kvm we can open on a CPU with VT-x or
 * AMD-V), otherwise QEMU's software emulation (TCG). A {@code kvm_pvm} /dev/kvm without vmx/svm
 * does not count: a stock guest kernel hangs under it. Under TCG the guest cannot calibrate its
 * TSC against the PIT in time, so it is told the host's TSC frequency ({@code tsc_early_khz}).
 *
 * @param reason why this one was chosen, for the log
 */
public record Acceleration(String qemuAccel, String cpu, String kernelFlags, String reason) {

    /** {@code mode}: auto, kvm or tcg. */
    public static Acceleration choose(String mode) {
        String cpuinfo = read(Path.of("/proc/cpuinfo"));
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "kvm":
                return kvm("configured");
            case "tcg":
                return tcg(cpuinfo, "configured");
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("drover.sandbox.microvm.accel: expected auto, kvm or tcg, was " + mode);
        }
        boolean hardware = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE).matcher(cpuinfo).find();
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm)) {
            return tcg(cpuinfo, "no /dev/kvm");
        }
        if (!hardware) {
            return tcg(cpuinfo, "/dev/kvm exists but the CPU has no vmx/svm (a paravirtual KVM that stock guest"
                    + " kernels cannot boot under)");
        }
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return tcg(cpuinfo, "/dev/kvm is not readable and writable by this user");
        }
        return kvm("/dev/kvm with hardware virtualization");
    }

    private static Acceleration kvm(String why) {
        return new Acceleration("kvm", "host", "", "KVM (" + why + ")");
    }

    private static Acceleration tcg(String cpuinfo, String why) {
        long khz = tscKhz(cpuinfo);
        return new Acceleration("tcg", "qemu64", "tsc_early_khz=" + khz,
                "TCG software emulation, guest told tsc_early_khz=" + khz + " (" + why + ")");
    }

    public boolean isKvm() {
        return qemuAccel.equals("kvm");
    }

    /** The host's TSC frequency as /proc/cpuinfo tells it ("cpu MHz"); 2 GHz when it does not. */
    static long tscKhz(String cpuinfo) {
        Matcher m = Pattern.compile("^cpu MHz\\s*:\\s*([0-9.]+)", Pattern.MULTILINE).matcher(cpuinfo);
        if (m.find()) {
            return Math.round(Double.parseDouble(m.group(1)) * 1000);
        }
        return 2_000_000;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
