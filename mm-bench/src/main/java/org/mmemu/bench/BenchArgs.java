package org.mmemu.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The argument checks the bench commands share; each failure is an {@link IllegalArgumentException}
 * whose message is the one line the command prints before it exits 2.
 */
final class BenchArgs {
    private BenchArgs() {
    }

    /** The value after option {@code opt}, at {@code args[i]}. */
    static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    /** {@code s} as a whole number of at least {@code least}. */
    static int atLeast(String s, String opt, int least) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= least) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(opt + (least == 1 ? " takes positive whole numbers"
                : " takes whole numbers of at least " + least) + ", not '" + s + "'");
    }

    /** A comma-separated list of shipped protocols' names. */
    static List<String> protocols(String v) {
        List<String> ps = Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        for (String p : ps) {
            if (!org.mmemu.lru.protocol.ProtocolRegistry.onClassPath().names().contains(p)) {
                throw new IllegalArgumentException("unknown protocol '" + p + "'");
            }
        }
        return ps;
    }

    /** {@code file}, the value of {@code opt}, checked to be writable before any work starts (null passes). */
    static java.nio.file.Path output(java.nio.file.Path file, String opt) {
        String problem = org.mmemu.cli.OutputPath.problem(opt, file);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return file;
    }
}
