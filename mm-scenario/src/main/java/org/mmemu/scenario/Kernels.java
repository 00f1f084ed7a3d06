package org.mmemu.scenario;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernels a machine can run as ({@code machine: kernel:}, {@code --kernel}, {@code mmemu kernels}):
 * each stored version, or a composition of one with a named change, with its date, its own
 * release/isolation protocol and what it changes.
 *
 * <p>A kernel names the machine's {@code KernelProfile} ({@link Kernel#profileVersion()}); the
 * protocol names the release and isolation statements. A kernel's own protocol is the one whose
 * statements that kernel has. A protocol that is some kernel's own ({@code pre-fix},
 * {@code mm1}, {@code 2.5.33}, {@code testone}, {@code unless-zero}) runs only on the kernels
 * whose own it is: their statements differ from one another by version in profile choices and
 * in their own code, so mm1 on 2.5.33 would be 2.5.33 under another name. Any other protocol
 * (the seed mail's proposals, {@code no-tests}, a protocol of one's own) runs on any mirrored
 * kernel: its statements are its own, the rest of the machine the kernel's. Compositions that
 * cannot be made faithfully are refused with the reason ({@link #check}).
 *
 * <p>Emulator, not a mirror. Dates are the releases' (kernel.org) or, for the BK tree and -mm1,
 * the seed mail's (docs/FIDELITY.md).
 */
public final class Kernels {
    /** What {@code --kernel V} and {@code protocol:} compose to: the protocol and the kernel, {@code P@V}. */
    public static final char ON = '@';

    /**
     * One kernel.
     *
     * @param name           as written in {@code kernel:}, e.g. {@code 2.5.31-mm1}
     * @param aliases        other spellings accepted, e.g. {@code bk-18aug}
     * @param date           its date
     * @param ownProtocol    the protocol whose release/isolation statements it has; null when its
     *                       release path is not mirrored
     * @param profileVersion the version whose {@code KernelProfile.of} the machine runs with
     * @param changes        what it changes over the kernel before it, one line; for one not
     *                       mirrored, why not
     * @param composition    whether it is a stored version plus or minus a named change
     * @param commit         for a composition, the full id of the named change's commit in the
     *                       kernel's history ({@code dmgerman/history-token}), so that a reader can
     *                       check what was added or taken away; null when there is none to cite
     */
    public record Kernel(String name, List<String> aliases, String date, String ownProtocol, String profileVersion,
                         String changes, boolean composition, String commit) {
        public Kernel {
            aliases = List.copyOf(aliases);
        }

        /** A kernel without a commit to cite: the stored versions. */
        public Kernel(String name, List<String> aliases, String date, String ownProtocol, String profileVersion,
                      String changes, boolean composition) {
            this(name, aliases, date, ownProtocol, profileVersion, changes, composition, null);
        }

        /** Whether mmemu mirrors this kernel's release path. */
        public boolean mirrored() {
            return ownProtocol != null;
        }
    }

    private static final String ZONE_LOCK = "2.5.33";
    /** 2.5.31-bk without f97b42b287: 2.5.30's set_page_dirty against truncate. */
    public static final String SET_PAGE_DIRTY_RACE = "2.5.31-bk-f97b42b287";
    /** 2.6.7 with f7f5e03df0's page_referenced() (2.6.9-rc2), the lost unlock_page. */
    public static final String RMAPLOCK = "2.6.7+f7f5e03df0";
    /** {@link #RMAPLOCK} with its fix, 58765ab99d (2.6.9-rc3). */
    public static final String RMAPLOCK_FIXED = "2.6.7+f7f5e03df0+58765ab99d";

    /** akpm's "Fix page double-freeing race" (14 May 2004, first in 2.6.7-rc1). */
    private static final String PAGE_FREEING_RACE_FIX = "ad5d48f239c22944edf4f0e6da8da72377b9919f";

    /**
     * 2.5.33 with Hugh Dickins' "fix a VM lockup" (4fac8df90b, 15 Oct 2002, first in 2.5.44, which
     * is not stored): refill_inactive_zone() counts every page it looks at. Its profile is made in
     * {@code KernelProtocols.profileOf}.
     */
    public static final String REFILL_LOCKUP_FIX = "2.5.33+refill-lockup-fix";
    private static final String REFILL_LOCKUP_FIX_COMMIT = "4fac8df90b80597b4748410ca97fdd2a62040e19";

    private static final List<Kernel> ALL = List.of(
            new Kernel("2.5.31", List.of(), "10 Aug 2002", null, "2.5.31",
                    "before the pagevec series (01-08, 14-16 Aug): its LRU release path (lru_cache_del() under"
                            + " pagemap_lru_lock) is not mirrored; the nearest is 2.5.31-bk", false),
            new Kernel("2.5.31-bk", List.of("bk-18aug"), "18 Aug 2002", "pre-fix", "2.5.31-bk",
                    "the pagevec series (01-08): Ehrhardt's refill race", false),
            new Kernel(SET_PAGE_DIRTY_RACE, List.of(), "18 Aug 2002 - 10 Aug 2002", "pre-fix", "2.5.31-bk",
                    "2.5.31-bk without f97b42b287 (fix a race between set_page_dirty and truncate): 2.5.30's"
                            + " __set_page_dirty_nobuffers(), no recheck of page->mapping under page_lock", true),
            new Kernel("2.5.31-mm1", List.of(), "21 Aug 2002", "mm1", "2.5.31-mm1",
                    "page_count() == 0 tests under the lock (10, 13, 17, 18, 21, 22): the seed mail's kernel", false),
            new Kernel("2.5.32", List.of(), "27 Aug 2002", ZONE_LOCK, "2.5.32",
                    "LRU race semi-fix (14): refill_inactive_zone skips a zero count, no BUG_ON in"
                            + " __page_cache_release", false),
            new Kernel("2.5.33", List.of(), "31 Aug 2002", ZONE_LOCK, "2.5.33",
                    "debug BUG_ON in put_page_testzero (19)", false),
            new Kernel(REFILL_LOCKUP_FIX, List.of(), "31 Aug 2002 + 15 Oct 2002", ZONE_LOCK, "2.5.33",
                    "2.5.33 with Hugh Dickins' \"fix a VM lockup\" (2.5.44): refill_inactive_zone counts every page"
                            + " it looks at, and nothing else of 2.5.44 (" + REFILL_LOCKUP_FIX_COMMIT + ")", true,
                    REFILL_LOCKUP_FIX_COMMIT),
            new Kernel("2.5.39", List.of(), "27 Sep 2002", ZONE_LOCK, "2.5.39",
                    "low-latency page reclaim: shrink_cache counts every page it looks at", false),
            new Kernel("2.6.0", List.of(), "17 Dec 2003", ZONE_LOCK, "2.6.0",
                    "lru_add_drain() in __pagevec_release, release_pages stays unlocked after a free, refill counts"
                            + " every page, bad_page() reports and carries on; 2.6 reclaim", false),
            new Kernel("2.6.6", List.of(), "10 May 2004", ZONE_LOCK, "2.6.6",
                    "the last with the racy zone-lock release path; a !__GFP_FS reclaimer leaves after one priority",
                    false),
            new Kernel("2.6.6+page-freeing-race-fix", List.of(), "10 May 2004 + 2.6.6-mm2", "testone", "2.6.6",
                    "2.6.6 with akpm's page-freeing-race-fix (biased count, get_page_testone) and nothing else of"
                            + " 2.6.7 (" + PAGE_FREEING_RACE_FIX + ")", true, PAGE_FREEING_RACE_FIX),
            new Kernel("2.6.7-page-freeing-race-fix", List.of(), "16 Jun 2004 - 2.6.6-mm2", ZONE_LOCK, "2.6.7",
                    "2.6.7 without the page-freeing-race fix: 2.6.7's reclaim, 2.6.6's racy release path", true,
                    PAGE_FREEING_RACE_FIX),
            new Kernel("2.6.7", List.of(), "16 Jun 2004", "testone", "2.6.7",
                    "page-freeing-race-fix (2.6.6-mm2): biased page count, get_page_testone(); try_to_free_pages"
                            + " keeps a !__GFP_FS caller", false),
            new Kernel(RMAPLOCK, List.of(), "16 Jun 2004 + 23 Aug 2004", "testone", "2.6.7",
                    "2.6.7 with 2.6.9-rc2's page_referenced() (f7f5e03df0, rmaplock: kill page_map_lock): refill takes"
                            + " the page lock, and unlocks only if page->mapping is still set", true),
            new Kernel(RMAPLOCK_FIXED, List.of(), "16 Jun 2004 + 17 Sep 2004", "testone", "2.6.7",
                    "the same with 2.6.9-rc3's fix (58765ab99d, fix missing unlock_page in mm/rmap.c): the unlock"
                            + " whatever the mapping", true),
            new Kernel("2.6.16", List.of(), "20 Mar 2006", "unless-zero", "2.6.16",
                    "get_page_unless_zero() before clearing PG_lru (N. Piggin)", false));

    private static final Map<String, Kernel> BY_NAME = new LinkedHashMap<>();
    private static final Set<String> OWN = new LinkedHashSet<>();

    static {
        for (Kernel k : ALL) {
            BY_NAME.put(k.name(), k);
            k.aliases().forEach(a -> BY_NAME.put(a, k));
            if (k.ownProtocol() != null) {
                OWN.add(k.ownProtocol());
            }
        }
    }

    private Kernels() {
    }

    /** Every kernel, oldest first, compositions beside their base. */
    public static List<Kernel> all() {
        return ALL;
    }

    /** The names and aliases accepted. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The kernel called {@code name} (or one of its aliases). */
    public static Optional<Kernel> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The kernel called {@code name}.
     *
     * @throws IllegalArgumentException naming the known ones
     */
    public static Kernel byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown kernel '" + Echo.cut(name)
                + "' (expected one of: " + String.join(", ", names()) + ")"));
    }

    /** Whether {@code protocol} is some kernel's own release path (it then runs only on those kernels). */
    public static boolean isKernelProtocol(String protocol) {
        return OWN.contains(protocol);
    }

    /**
     * Why {@code protocol} cannot run on {@code kernel}, in one line, or empty when it can
     * (null {@code protocol}: the kernel's own).
     */
    public static Optional<String> check(Kernel kernel, String protocol) {
        if (!kernel.mirrored()) {
            return Optional.of("kernel " + kernel.name() + " cannot run: " + kernel.changes());
        }
        if (protocol == null || protocol.equals(kernel.ownProtocol()) || !isKernelProtocol(protocol)) {
            return Optional.empty();
        }
        List<String> homes = ALL.stream().filter(k -> protocol.equals(k.ownProtocol())).map(Kernel::name).toList();
        return Optional.of("protocol " + protocol + " is the release path of " + String.join(", ", homes)
                + ", not of kernel " + kernel.name() + " (whose own is " + kernel.ownProtocol()
                + "): a kernel's protocol runs only on its kernels; the proposals run on any");
    }

    /** The protocol {@code protocol} (null: the kernel's own) on {@code kernel}, checked: {@code P@V}. */
    public static String compose(Kernel kernel, String protocol) {
        Optional<String> why = check(kernel, protocol);
        if (why.isPresent()) {
            throw new IllegalArgumentException(why.get());
        }
        return (protocol == null ? kernel.ownProtocol() : protocol) + ON + kernel.name();
    }

    /** The protocol of a name {@link #compose} made ({@code always-lock} of {@code always-lock@2.6.7}); else the name. */
    public static String protocolOf(String name) {
        int at = name == null ? -1 : name.indexOf(ON);
        return at < 0 ? name : name.substring(0, at);
    }

    /** The kernel of a name {@link #compose} made, or empty for a plain protocol name. */
    public static Optional<Kernel> kernelOf(String name) {
        int at = name == null ? -1 : name.indexOf(ON);
        return at < 0 ? Optional.empty() : find(name.substring(at + 1));
    }
}
