package io.drover.sandbox;

/** Receives a command's output as it is produced. Called from the driver's pump threads. */
@FunctionalInterface
public interface OutputSink {
    void write(byte[] bytes, int offset, int length);

    OutputSink DISCARD = (b, o, l) -> { };
}
