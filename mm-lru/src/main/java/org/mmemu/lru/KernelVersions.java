package org.mmemu.lru;

/**
 * Orders kernel version names of the period: {@code 2.5.31-mm1}, {@code 2.5.33},
 * {@code 2.6.16}. A suffix ({@code -mm1}, {@code -bk7}) sorts after its base release and before
 * the next one; a name that is no version ("constructed") is treated as 2.5.33, the kernel of
 * the mail's proposals. What {@link LruProtocol#version()} names is compared this way wherever
 * code differs by version (the reclaim loops, 2.6's lru_add_drain() in __pagevec_release()).
 *
 * <p>Emulator, not a mirror. The versions it orders are those of the mirrored code, e.g.
 * mm/vmscan.c: shrink_cache() (2.5.31-mm1 against 2.5.39, where its loop got its nr_scan bound).
 */
public final class KernelVersions {
    private static final String DEFAULT = "2.5.33";

    private KernelVersions() {
    }

    /** Whether {@code version} is {@code base} or later. */
    public static boolean atLeast(String version, String base) {
        return compare(version, base) >= 0;
    }

    /** Negative, zero or positive as {@code a} is older than, the same as, or newer than {@code b}. */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 4; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /**
     * major, minor, patch, and 1 if there is a suffix. Scanned by hand rather than with a
     * regular expression: machines boot once per explored schedule, and each boot asks.
     */
    private static int[] parse(String v) {
        int[] out = v == null ? null : scan(v);
        return out != null ? out : scan(DEFAULT);
    }

    /** {@code digits.digits.digits} then anything; null if {@code v} does not start so. */
    private static int[] scan(String v) {
        int[] out = new int[4];
        int i = 0;
        for (int part = 0; part < 3; part++) {
            int start = i;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                out[part] = out[part] * 10 + (v.charAt(i) - '0');
                i++;
            }
            if (i == start || (part < 2 && (i == v.length() || v.charAt(i++) != '.'))) {
                return null;
            }
        }
        out[3] = v.indexOf('-', i) < 0 ? 0 : 1;
        return out;
    }
}
