package io.halley.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * A short hash tag for every Redis Cluster slot, so that a key meant to sit beside another (a
 * slot's data epoch beside a channel's counter, in one Lua script) can be named: the key
 * {@code <prefix>epoch:{<tagFor(slot)>}} hashes to {@code slot}. The table is built once, on first
 * use, by numbering candidate tags until every slot has one (about 170,000 CRC16 checksums, a few
 * milliseconds). Thread-safe.
 */
final class SlotTags {
    private static volatile String[] tags;

    private SlotTags() {
    }

    /** The slot of {@code key} as Redis Cluster computes it (hash tag first). */
    static int slot(String key) {
        return SlotHash.getSlot(key);
    }

    /** A tag whose slot is {@code slot} (0 .. 16383). */
    static String tagFor(int slot) {
        String[] t = tags;
        if (t == null) t = build();
        return t[slot];
    }

    private static synchronized String[] build() {
        if (tags != null) return tags;
        String[] t = new String[SlotHash.SLOT_COUNT];
        int left = t.length;
        for (int n = 0; left > 0; n++) {
            String candidate = "s" + Integer.toString(n, 36);
            int s = SlotHash.getSlot(candidate);
            if (t[s] == null) {
                t[s] = candidate;
                left--;
            }
        }
        tags = t;
        return t;
    }
}
