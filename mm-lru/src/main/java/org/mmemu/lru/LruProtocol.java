package org.mmemu.lru;

import java.util.List;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;

/**
 * One refcount/LRU protocol: the two faces of the rule that decides who frees a page that is
 * both reference-counted and findable through the LRU.
 *
 * <pre>
 * Concurrency: the problem
 *
 * A page on the LRU can be reached two ways: by whoever holds a reference, and by reclaim
 * walking zone->inactive_list under zone->lru_lock. The release side drops a reference and,
 * when it was the last, takes the page off the LRU and frees it; the isolation side takes a
 * page off the LRU and takes a reference to work on it. If the release side's last put and the
 * isolation side's get are not ordered by something, reclaim can take a reference on a page
 * whose count already fell to zero ("If this goes from 0->1, we die", [1]) and the page is
 * freed twice.
 *
 * The protocols (docs/ARCHITECTURE.md §5, docs/RACE.md) differ only in what orders the two:
 *   pre-fix       nothing: the put is outside the lock and reclaim gets blindly [2]
 *   mm1           both sides test page_count == 0 under the lock; a five-step window on the
 *                 isolation side and a 3-4 step window before the cli on the release side
 *                 remain [1][3]
 *   always-lock   every put is made under lru_lock [1]
 *   count-one     lock only when the count looks like 1; concurrent puts can leave a zero-ref
 *                 page on the LRU for reclaim to mop up [1]
 *   dec-and-lock  atomic_dec_and_lock(): the 1 -> 0 transition only happens under the lock [4]
 *   testone       2.6.7: biased count; the isolation side's test and get are one atomic [5]
 *   unless-zero   2.6.16: get_page_unless_zero() before clearing PG_lru: a zero count is never
 *                 raised [6]
 *
 * [1] akpm, "Re: Race in pagevec code", 26 Aug 2002 &lt;3D6A8082.3775C5AB@zip.com.au&gt; (seed mail)
 * [2] C. Ehrhardt, "Race in pagevec code", 21 Aug 2002
 * [3] docs/RACE.md
 * [4] lib/dec_and_lock.c; docs/RACE.md
 * [5] akpm, page-freeing-race-fix.patch, 2.6.6-mm2
 * [6] N. Piggin, "mm: simplify vmscan vs release refcounting", 2.6.16
 * </pre>
 *
 * <p>Implementations are small final classes, each a statement-by-statement mirror of the
 * kernel (or the mail's proposal) it names, and stateless: the per-machine state is in
 * {@link Lru} and {@link ZoneLru}.
 *
 * <h2>Writing a protocol of your own</h2>
 * This interface is a service provider interface: a protocol is a public class with a public
 * no-argument constructor, listed in {@code META-INF/services/org.mmemu.lru.LruProtocol} of its
 * jar, and found by {@link org.mmemu.lru.protocol.ProtocolRegistry} with
 * {@link java.util.ServiceLoader} (the shipped seven are registered the same way). Its steps use
 * only public API: the step methods of {@link Page} and {@link ListHead}, the locks and counters
 * of {@link ZoneLru}, the shared statements of {@link org.mmemu.lru.protocol.LruSteps} and the
 * {@code pages_to_free} vector {@link org.mmemu.lru.protocol.PagesToFree}; a variant of a shipped
 * protocol that changes one path extends {@link org.mmemu.lru.protocol.ForwardingLruProtocol}.
 * Everything the rest of mmemu needs to know about a protocol is a property it declares here
 * ({@link #biasedCount()}, {@link #leavesZeroCountPages()}, {@link #expectedOnSeedRace()}),
 * never a test of its name.
 */
public interface LruProtocol {
    /** The name used on the command line and in scenario files, e.g. {@code mm1}. */
    String name();

    /** Where it comes from: version, mail or patch. */
    String origin();

    /**
     * The kernel version whose code this protocol mirrors, or which a proposal modifies, e.g.
     * {@code 2.5.31-mm1}.
     */
    String version();

    /**
     * The kernel this protocol's code runs as: what every mirror that differs by version asks
     * (the drain in {@code __pagevec_release()}, the reclaim loop bounds, the debug checks, ...).
     * By default the profile of {@link #version()} ({@link KernelProfile#of}); the shipped
     * protocols name theirs.
     */
    default KernelProfile profile() {
        return KernelProfile.of(version());
    }

    /**
     * The changesets (id and title, e.g. {@code "14-3f76fabd72 LRU race semi-fix"}) whose
     * code this protocol follows, oldest first; empty for a proposal that was never merged.
     */
    default List<String> changesets() {
        return List.of();
    }

    /**
     * Whether concurrent releases can leave a page with count zero on the LRU for reclaim to
     * free (the seed mail's "mopped up in page reclaim"): reclaim then frees such pages when it
     * finds them, instead of skipping them.
     */
    default boolean leavesZeroCountPages() {
        return false;
    }

    /**
     * What this protocol is expected to do on the seed race (an interrupt on the releasing CPU
     * between its last put and its lock, reclaim isolating the page meanwhile): what the demo
     * and {@code mmemu protocols} show, and what the demo checks. A protocol is expected to be
     * correct unless it says otherwise.
     */
    default SeedRaceExpectation expectedOnSeedRace() {
        return SeedRaceExpectation.correct("correct");
    }

    /** Whether the machine must keep page counts biased by -1 (2.6.7-2.6.15). */
    default boolean biasedCount() {
        return false;
    }

    /**
     * The release side for one page: {@code page_cache_release()} / {@code put_page()} and
     * what it calls ({@code __page_cache_release()}).
     */
    void pageCacheRelease(Cpu cpu, Page page);

    /**
     * The release side for a vector: {@code __pagevec_release()} (2.5.32-2.5.33) /
     * {@code release_pages(pages, nr, cold)} (2.6): drops one reference on each of
     * {@code pages[0..nr-1]} and frees those whose count fell to zero.
     */
    void releasePages(Cpu cpu, Page[] pages, int nr);

    /**
     * The isolation side for one page, as {@code shrink_cache()} and
     * {@code refill_inactive_zone()} do it inside their scan loop, with {@code zone->lru_lock}
     * held and irqs off: either take {@code page} off its LRU list onto {@code dst} with a
     * reference held (and PG_lru clear), and return true; or leave it on the LRU (put back
     * where the kernel of that version put it) and return false.
     *
     * <p><b>Counters.</b> Isolation does not touch the zone's counters, as in the kernel: the
     * caller makes the batch step(s) with the number of pages taken, at its version's place
     * (shrink_cache(): {@code zone->nr_inactive -= n/nr_taken} after the loop, before the unlock;
     * refill_inactive_zone(): 2.5.x {@code zone->nr_active -= pgdeactivate} after the put-back,
     * 2.6 {@code zone->nr_active -= pgmoved} after the loop; mm-reclaim's Vmscan, or
     * {@link org.mmemu.lru.protocol.LruSteps#count} for a caller of its own). Until then the
     * counters still include the isolated pages. A page the protocol refuses goes back to the
     * head of the list it came from, as in the kernel
     * ({@code list_add(&page->lru, &zone->inactive_list)}).
     *
     * <p><b>Caller's part.</b> The caller picked {@code page} ({@code list_entry(src.prev)}),
     * holds {@code zl.lruLock()} with irqs off, and must not touch the page between its pick and
     * this call: the steps from {@code TestClearPageLRU} on are the protocol's.
     *
     * @param fromActive whether the page was taken from the active list: which counter drops,
     *                   and which list a refused page goes back to
     */
    boolean isolateLruPage(Cpu cpu, ZoneLru zl, Page page, ListHead dst, boolean fromActive);

    /**
     * The put-back after reclaim is done with an isolated page that stays in use, with
     * {@code zone->lru_lock} held and irqs off: set PG_lru again and put it on the list its
     * PG_active says. The reference taken at isolation is dropped afterwards by the caller,
     * through a pagevec and {@link #releasePages}. Adds to {@code nr_active} or
     * {@code nr_inactive} ({@code add_page_to_*_list}).
     */
    void putbackLruPage(Cpu cpu, ZoneLru zl, Page page);
}
