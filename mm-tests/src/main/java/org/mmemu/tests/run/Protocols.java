package org.mmemu.tests.run;

import java.util.List;
import java.util.Optional;

/**
 * The protocols of DESIGN §5, as the command line lists and validates them. The implementations
 * live in mm-lru; once its registry exists this list is read from it, and this class keeps only
 * what the command line adds (the default).
 */
public final class Protocols {
    /** The protocol of the seed mail's kernel, used when neither the file nor the command line names one. */
    public static final String DEFAULT = "mm1";

    private static final List<ProtocolInfo> ALL = List.of(
            new ProtocolInfo("pre-fix", "the pagevec series before the fixes (Ehrhardt's race, 21 Aug 2002)",
                    "double free without any interrupt", false),
            new ProtocolInfo("mm1", "2.5.31-mm1 .. 2.6.6: the two page_count == 0 tests under the lock",
                    "double free only when all five footnote conditions hold", false),
            new ProtocolInfo("always-lock", "the seed mail's \"sane, sensible and sucky\" proposal",
                    "correct; a lock on every release", false),
            new ProtocolInfo("count-one", "the seed mail's fast-path proposal",
                    "no double free; zero-ref pages left on the LRU, mopped up by reclaim", false),
            new ProtocolInfo("dec-and-lock", "atomic_dec_and_lock, as iput/dput use it",
                    "correct; lock only on the last put", false),
            new ProtocolInfo("testone", "2.6.7: biased count, get_page_testone in vmscan", "correct", true),
            new ProtocolInfo("unless-zero", "2.6.16 and later: get_page_unless_zero / folio_try_get before"
                    + " clearing PG_lru", "correct", false));

    private Protocols() {
    }

    public static List<ProtocolInfo> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ProtocolInfo::name).toList();
    }

    public static Optional<ProtocolInfo> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
