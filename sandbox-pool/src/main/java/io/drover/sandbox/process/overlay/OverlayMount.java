package io.drover.sandbox.process.overlay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Overlay mounts made by Drover in its own mount namespace. bubblewrap 0.8 has no {@code --overlay},
 * so the driver mounts the overlay as root with mount(8) and the launcher binds the merged directory.
 */
public final class OverlayMount {
    private OverlayMount() {
    }

    public static void mount(List<Path> lowers, Path upper, Path work, Path merged) {
        StringBuilder options = new StringBuilder("lowerdir=");
        for (int i = 0; i < lowers.size(); i++) {
            options.append(i == 0 ? "" : ":").append(checked(lowers.get(i)));
        }
        options.append(",upperdir=").append(checked(upper)).append(",workdir=").append(checked(work));
        run("mount", "-t", "overlay", "overlay", "-o", options.toString(), merged.toString());
    }

    /** Unmounts; a mount still in use (a process slow to die) is detached lazily rather than leaked. */
    public static void unmount(Path merged) {
        if (!isMounted(merged)) {
            return;
        }
        try {
            run("umount", merged.toString());
        } catch (IllegalStateException busy) {
            run("umount", "--lazy", merged.toString());
        }
    }

    public static boolean isMounted(Path mountPoint) {
        return mountPoints().contains(mountPoint.toAbsolutePath().normalize());
    }

    /**
     * Mount points at or below {@code dir}, latest first, so that they can be unmounted in order: a
     * mount made on top of another one's files (an overlay whose upper dir is on a sandbox's disk,
     * beside it rather than below it) comes before that one.
     */
    public static List<Path> mountPointsUnder(Path dir) {
        Path base = dir.toAbsolutePath().normalize();
        List<Path> under = new ArrayList<>(mountPoints().stream().filter(p -> p.startsWith(base)).toList());
        java.util.Collections.reverse(under);
        return under.stream().distinct().toList();
    }

    static List<Path> mountPoints() {
        try {
            List<Path> points = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    points.add(Path.of(unescape(f[4])));
                }
            }
            return points;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    public static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Overlay options are comma and colon separated, with no quoting: such paths cannot be expressed. */
    private static String checked(Path path) {
        String text = path.toAbsolutePath().normalize().toString();
        if (text.contains(",") || text.contains(":") || text.contains("\\")) {
            throw new IllegalArgumentException("path " + text + " cannot be an overlay layer: it contains , : or \\;"
                    + " choose a sandbox root without them");
        }
        return text;
    }

    private static void run(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(argv[0] + " was interrupted", e);
        }
    }
}
