package io.drover.sandbox.microvm;

import io.drover.sandbox.Resources;

/**
 * A sandbox's {@code memoryMb} and {@code maxProcesses} inside its guest: the first command creates
 * the sandbox's cgroup in the guest's own cgroup2 tree, and every command joins it before its script
 * runs. Without it a command had the whole VM ({@code drover.sandbox.microvm.memory-mb}) and no
 * process limit. The command is root in its guest and could leave the cgroup; the VM, not this
 * cgroup, is what bounds hostile code. A command whose limits cannot be applied does not run.
 */
final class GuestLimits {
    /** The exit code of a command refused because its limits could not be applied. */
    static final int NOT_APPLIED = 125;
    private static final String CGROUP = "/sys/fs/cgroup/drover-sandbox";

    private GuestLimits() {
    }

    static String wrap(String script, Resources resources) {
        return "{ grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup; }"
                + " 2>/dev/null && if [ ! -d " + CGROUP + " ]; then"
                + " echo '+memory +pids' > /sys/fs/cgroup/cgroup.subtree_control && mkdir -p " + CGROUP
                + " && echo " + resources.memoryBytes() + " > " + CGROUP + "/memory.max"
                + " && echo " + resources.maxProcesses() + " > " + CGROUP + "/pids.max; fi 2>/dev/null"
                + " && echo $$ > " + CGROUP + "/cgroup.procs 2>/dev/null"
                + " || { echo 'drover: could not apply the sandbox'\"'\"'s memory and process limits in the guest' >&2;"
                + " exit " + NOT_APPLIED + "; }\n" + script;
    }
}
