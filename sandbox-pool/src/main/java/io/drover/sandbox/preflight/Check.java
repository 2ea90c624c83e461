package io.drover.sandbox.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One thing a driver needs from the machine, and whether it has it.
 *
 * @param name   what was checked, e.g. {@code nft}
 * @param passed whether the machine has it
 * @param detail what was found, or, when it failed, what is wrong and what to do about it
 */
public record Check(String name, boolean passed, String detail) {

    public static Check passed(String name, String detail) {
        return new Check(name, true, detail);
    }

    public static Check failed(String name, String detail) {
        return new Check(name, false, detail);
    }

    /** Runs the checks in order up to the first failure: a later one would only fail for the same reason or mislead. */
    public static List<Check> untilFailure(List<Supplier<Check>> checks) {
        List<Check> found = new ArrayList<>();
        for (Supplier<Check> check : checks) {
            Check result = check.get();
            found.add(result);
            if (!result.passed()) {
                break;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return name + ": " + detail;
    }
}
