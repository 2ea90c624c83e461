package io.drover.sandbox.process.launch;

import io.drover.sandbox.Command;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts a command in a sandbox with bubblewrap. bubblewrap (Flatpak's launcher) over util-linux
 * unshare: it builds the whole view (binds, fresh /proc, minimal /dev, symlinks) in one audited
 * step, drops every capability and installs a pid-1 reaper. Its 0.8 lacks --overlay, so Drover
 * mounts the overlay itself and bubblewrap only binds the merged directory.
 *
 * <p>The process chain is {@code sh} (as root: joins the sandbox's cgroups, opens the argument file)
 * then {@code setpriv} (drops to the sandbox user) then {@code bwrap} (new user namespace mapping
 * root inside to that user outside). bwrap runs unprivileged so that the user namespace maps to a
 * non-root uid; run as root it would map root inside to root outside.
 */
public final class Launcher implements AutoCloseable {
    /** Joins each cgroup named before "--", opens the argument file as fd 3 and removes it, then execs the rest. */
    private static final String ENTER = "set -e; args=$1; shift; "
            + "while [ \"$1\" != -- ]; do echo $$ > \"$1\"; shift; done; shift; "
            + "exec 3<\"$args\"; rm -f \"$args\"; exec \"$@\"";
    /**
     * The script arrives in the environment, so that neither it nor the env shows in the host's ps;
     * eval in this same shell rather than a second bash saves an exec per command.
     */
    private static final String RUN_SCRIPT = "s=$DROVER_SCRIPT; unset DROVER_SCRIPT; eval \"$s\"";
    public static final String WORKSPACE = "/workspace";

    private final SandboxUser user;
    private final HostView view;
    private final RootDoor door;
    // PR_SET_PDEATHSIG (bwrap --die-with-parent) fires when the *thread* that forked bwrap exits, so
    // every sandbox is forked from this one long-lived thread, never from a pooled caller's.
    private final ExecutorService forker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-forker");
        t.setDaemon(true);
        return t;
    });

    public Launcher(SandboxUser user, HostView view, RootDoor door) {
        this.user = user;
        this.view = view;
        this.door = door;
    }

    public SandboxUser user() {
        return user;
    }

    /**
     * @param argsFile a path the launcher may create (root-only) and that is gone once the sandbox runs
     */
    public Process start(List<Path> cgroupProcsFiles, Path workspace, Path tmp, Path argsFile, Command command)
            throws IOException {
        return start(cgroupProcsFiles, workspace, tmp, argsFile, command, NetworkJoin.LOOPBACK);
    }

    /** As above, in the network {@code network} names. */
    public Process start(List<Path> cgroupProcsFiles, Path workspace, Path tmp, Path argsFile, Command command,
            NetworkJoin network) throws IOException {
        writeArguments(argsFile, workspace, tmp, command.env(), command.script(), network);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", ENTER, "drover-enter", argsFile.toString()));
        cgroupProcsFiles.forEach(f -> argv.add(f.toString()));
        argv.add("--");
        argv.addAll(network.prefix());
        argv.addAll(door.prefix());
        argv.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups",
                "--", "bwrap", "--args", "3", "--", "/bin/bash", "-c", RUN_SCRIPT));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(new File("/"));
        // Nothing of Drover's environment reaches the host-side chain (LD_PRELOAD and friends would
        // run as root in sh); the command's own environment travels inside the argument file.
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // One pipe when one sink takes both streams: two pipes read by two threads would reorder lines.
        builder.redirectErrorStream(command.stdout() == command.stderr());
        try {
            return forker.submit(builder::start).get();
        } catch (ExecutionException e) {
            Files.deleteIfExists(argsFile);
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(argsFile);
            throw new IOException("interrupted while starting the sandbox", e);
        }
    }

    private void writeArguments(Path file, Path workspace, Path tmp, Map<String, String> env, String script,
            NetworkJoin network) throws IOException {
        List<String> args = new ArrayList<>(network.bwrapOptions());
        args.addAll(List.of("--unshare-user", "--uid", "0", "--gid", "0", "--hostname", "drover",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--disable-userns"));
        args.addAll(view.arguments(door, network.ownDns()));
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--bind", door.inView(tmp).toString(), "/tmp",
                "--bind", door.inView(workspace).toString(), WORKSPACE, "--chdir", WORKSPACE, "--clearenv"));
        env.forEach((k, v) -> args.addAll(List.of("--setenv", k, v)));
        if (!env.containsKey("PATH")) {
            args.addAll(List.of("--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin"));
        }
        if (!env.containsKey("HOME")) {
            args.addAll(List.of("--setenv", "HOME", WORKSPACE));
        }
        args.addAll(List.of("--setenv", "DROVER_SCRIPT", script));
        StringBuilder data = new StringBuilder();
        for (String arg : args) {
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a sandbox argument or environment value contains a NUL byte");
            }
            data.append(arg).append('\0');
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, data, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        forker.shutdownNow();
    }
}
