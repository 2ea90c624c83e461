package io.drover.cli.output;

/** {@code --output}: aligned columns for people, or the server's JSON for programs. */
public enum Format {
    TABLE, JSON
}
