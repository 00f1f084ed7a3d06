package org.mmemu.scenario.run;

/**
 * Which part of a search one process runs: shard {@code index} of {@code count}, counted from 1
 * as the command line writes it ({@code --shard 2/4}). The explorer gives shard i the units
 * i, i+n, i+2n, ... of its search, so the shards partition it and their results merge.
 *
 * @param index from 1 to {@code count}
 * @param count how many shards the search is split into
 */
public record Shard(int index, int count) {
    /** The whole search, unsplit. */
    public static final Shard WHOLE = new Shard(1, 1);

    /** The most shards a search may be split into. */
    public static final int MAX = 1 << 16;

    public Shard {
        if (count < 1 || count > MAX || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is not a shard (I/N with 1 <= I <= N <= " + MAX + ")");
        }
    }

    /** {@code I/N}, e.g. {@code 2/4}; an IllegalArgumentException with one line for anything else. */
    public static Shard parse(String spec) {
        String[] parts = spec == null ? new String[0] : spec.strip().split("/", -1);
        if (parts.length != 2 || !parts[0].matches("[0-9]{1,6}") || !parts[1].matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("'" + spec + "' is not a shard: expected I/N, e.g. 2/4");
        }
        return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** Whether this is the whole search. */
    public boolean whole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
