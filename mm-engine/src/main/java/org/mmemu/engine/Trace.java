package org.mmemu.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rows of one controlled run, in order, with a hash that is stable across runs, JVMs and
 * machines (a fingerprint of the rows' text, which names no object identities), so that
 * "replays to the identical trace" is a one-line check.
 */
public record Trace(List<TraceRow> rows) {
    public Trace {
        rows = ImmutableList.copyOf(rows);
    }

    /**
     * Guava's 64-bit FarmHash fingerprint (stable across releases, unlike {@code hashCode}) of
     * every row's {@link TraceRow#toString()}, one per line, as 16 hex digits.
     */
    public String hash() {
        Hasher h = Hashing.farmHashFingerprint64().newHasher();
        for (TraceRow r : rows) {
            h.putString(r.toString(), StandardCharsets.UTF_8).putByte((byte) '\n');
        }
        return h.hash().toString();
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
