package io.drover.sandbox.microvm.agent;

/** Receives the frames of one channel. Called from the connection's reader thread. */
public interface FrameListener {
    void frame(byte type, byte[] payload);

    /** The guest is gone (its VM died or was destroyed): no more frames will come. */
    void lost(String why);
}
