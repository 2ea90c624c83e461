package io.drover.sandbox.microvm.agent;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open channels of one guest, by number. It outlives connections: a command still running
 * when its VM goes to standby keeps its channel, and its output flows again once a new QEMU
 * process restored the VM and a new connection attached here.
 */
public final class AgentChannels {
    private final Map<Integer, FrameListener> open = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    /**
     * Where the incoming byte stream stands, kept across connections: a VM saved between two
     * writes of one frame sends the rest of it to the next QEMU process's socket.
     */
    final ByteBuffer header = ByteBuffer.allocate(AgentProtocol.HEADER);
    ByteBuffer payload;
    byte type;
    int channel;

    public int open(FrameListener listener) {
        int channel = next.incrementAndGet();
        open.put(channel, listener);
        return channel;
    }

    public void close(int channel) {
        open.remove(channel);
    }

    void deliver(int channel, byte type, byte[] payload) {
        FrameListener listener = open.get(channel);
        if (listener != null) {
            listener.frame(type, payload);
        }
    }

    /** Tells every open channel that the guest is gone, and closes them. */
    public void failAll(String why) {
        List<Integer> channels = List.copyOf(open.keySet());
        for (Integer channel : channels) {
            FrameListener listener = open.remove(channel);
            if (listener != null) {
                listener.lost(why);
            }
        }
    }
}
