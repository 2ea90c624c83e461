package io.drover.sandbox.preflight;

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

    @Override
    public String toString() {
        return name + ": " + detail;
    }
}
