package io.drover.sandbox.process.disk;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the process driver bounds what a sandbox writes to /workspace and /tmp
 * ({@code drover.pool.disk-limit}).
 */
public enum DiskLimit {
    /**
     * Each sandbox's writable layers live on its own sparse ext4 image, loop-mounted: a write past
     * the limit fails with ENOSPC. Needs loop devices and mke2fs.
     */
    LOOP,
    /**
     * No limit: the writable layers live in the data dir and a sandbox can fill its disk. For hosts
     * and containers without loop devices, chosen knowingly.
     */
    NONE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DiskLimit parse(String code) {
        return Arrays.stream(values()).filter(d -> d.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("drover.pool.disk-limit must be 'loop' or 'none'; was '"
                        + code + "'"));
    }
}
