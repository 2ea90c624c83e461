package io.drover.sandbox.containment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What each probe found on each driver, rendered as the Markdown table docs/security.md carries. */
final class ContainmentTable {
    /** The probes in the order the table lists them. */
    static final List<String> PROBES = List.of("host files", "host processes", "devices", "mounting", "capabilities",
            "cgroup files", "fork bomb", "memory hog", "disk fill", "host ports", "another sandbox's files",
            "a process outliving its attempt");

    private static final Map<String, Map<String, String>> RESULTS = new ConcurrentHashMap<>();

    private ContainmentTable() {
    }

    static void held(String probe, String driver, String detail) {
        put(probe, driver, "held: " + detail);
    }

    static void failed(String probe, String driver, String detail) {
        put(probe, driver, "**NOT HELD**: " + detail);
    }

    private static void put(String probe, String driver, String text) {
        if (!PROBES.contains(probe)) {
            throw new IllegalArgumentException("unknown probe " + probe);
        }
        RESULTS.computeIfAbsent(probe, p -> new TreeMap<>()).put(driver, text.replace("|", "\\|").replace("\n", " "));
    }

    static String render(List<String> drivers) {
        StringBuilder table = new StringBuilder("| probe | " + String.join(" | ", drivers) + " |\n|---|"
                + "---|".repeat(drivers.size()) + "\n");
        for (String probe : PROBES) {
            List<String> cells = new ArrayList<>();
            for (String driver : drivers) {
                cells.add(RESULTS.getOrDefault(probe, Map.of()).getOrDefault(driver, "not run"));
            }
            table.append("| ").append(probe).append(" | ").append(String.join(" | ", cells)).append(" |\n");
        }
        return table.toString();
    }
}
