package io.drover.sandbox.process.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which network namespace a command's bubblewrap runs in: a fresh one of its own (loopback only),
 * the sandbox's (joined by root with nsenter before privileges are dropped), or the host's.
 *
 * @param namespace the sandbox's namespace file, or null
 * @param ownDns    whether /etc/resolv.conf names the sandbox network's DNS forwarder
 * @param host      whether the host's network is shared (no isolation)
 */
public record NetworkJoin(Path namespace, boolean ownDns, boolean host) {
    public static final NetworkJoin LOOPBACK = new NetworkJoin(null, false, false);
    public static final NetworkJoin HOST = new NetworkJoin(null, false, true);

    public static NetworkJoin namespace(Path file, boolean ownDns) {
        return new NetworkJoin(file, ownDns, false);
    }

    /** Commands run as root before setpriv. */
    List<String> prefix() {
        return namespace == null ? List.of() : List.of("nsenter", "--net=" + namespace, "--");
    }

    /** bubblewrap's namespace options. */
    List<String> bwrapOptions() {
        List<String> args = new ArrayList<>(List.of("--unshare-all"));
        if (namespace != null || host) {
            args.add("--share-net");
        }
        return args;
    }
}
