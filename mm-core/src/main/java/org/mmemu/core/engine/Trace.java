package org.mmemu.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rows of one controlled run, in order, with a hash that is stable across runs, JVMs and
 * machines (FNV-1a over the rows' text, which names no object identities), so that "replays to
 * the identical trace" is a one-line check.
 */
public record Trace(List<TraceRow> rows) {
    public Trace {
        rows = List.copyOf(rows);
    }

    /** 64-bit FNV-1a of every row's {@link TraceRow#toString()}, one per line, as 16 hex digits. */
    public String hash() {
        long h = 0xcbf29ce484222325L;
        for (TraceRow r : rows) {
            for (byte x : (r.toString() + "\n").getBytes(StandardCharsets.UTF_8)) {
                h ^= x & 0xff;
                h *= 0x100000001b3L;
            }
        }
        return String.format("%016x", h);
    }

    public int size() {
        return rows.size();
    }

    /** Every row on its own line. */
    public String format() {
        StringBuilder b = new StringBuilder();
        for (TraceRow r : rows) {
            b.append(r).append('\n');
        }
        return b.toString();
    }
}
