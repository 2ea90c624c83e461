package io.drover.sandbox;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link BaseBuildLock} among the threads of this process: one lock per hash, dropped when free. */
public final class InProcessBaseBuildLock implements BaseBuildLock {
    private final ConcurrentMap<String, Entry> locks = new ConcurrentHashMap<>();

    @Override
    public Held acquire(String hash) throws InterruptedException {
        Entry entry = locks.compute(hash, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        try {
            entry.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            release(hash);
            throw e;
        }
        return () -> {
            entry.lock.unlock();
            release(hash);
        };
    }

    private void release(String hash) {
        locks.computeIfPresent(hash, (k, e) -> --e.users == 0 ? null : e);
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users; // guarded by the map's per-key compute
    }
}
