package org.mmemu.tests.slab;

import static org.mmemu.core.page.PageFlags.PG_lru;
import static org.mmemu.core.page.PageFlags.PG_slab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.reclaim.AddressSpace;
import org.mmemu.reclaim.AnonRegion;
import org.mmemu.reclaim.Filemap;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.slab.KmemCache;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabObject;

/**
 * The seed mail's claim measured: "if we put slab pages on the LRU then I suspect there are so
 * few non-LRU pages left that it isn't worth bothering" about the lock the count-one proposal
 * takes for the last put of a page that is not on the LRU. A mixed workload (page-cache reads
 * with truncation, anonymous memory faulted, touched and unmapped, two order-0 slab caches
 * growing and shrinking) runs on one CPU under memory pressure, with slab-on-LRU off and on,
 * and a census counts the page releases: every put that drops a page's last reference, split
 * by whether the page had PG_lru at that put, and by who made it.
 *
 * <p>How a release is seen: a gate watches every step whose target is a page; a step taken on a
 * page whose count is 1 remembers PG_lru, PG_slab and the site, so at the free
 * ({@code __free_pages_ok}) what is remembered is the state at the put that dropped the last
 * reference. The releases of reclaim's {@code __pagevec_release_nonlru()} (pages reclaim
 * isolated and took out of their cache) are counted apart: they never go through
 * {@code page_cache_release()} and know the page is off the LRU.
 *
 * <p>Run from the repository root (a plain {@code java} on the compiled classes; mm-tests has
 * no exec plugin):
 * <pre>
 * mvn -B -q -o -pl mm-tests -am test-compile
 * CP=mm-tests/target/test-classes:mm-core/target/classes:mm-lru/target/classes:\
 * mm-pagevec/target/classes:mm-slab/target/classes:mm-reclaim/target/classes:\
 * $(ls ~/.m2/repository/org/slf4j/slf4j-api/*&#47;slf4j-api-*.jar | head -1)
 * java -cp "$CP" org.mmemu.tests.slab.SlabLruReleaseCensus 5 10000 mm1   # seeds, ops, protocol
 * </pre>
 * It prints one line per seed and option and the medians over the seeds (seeds 1..n). The
 * workload is deterministic per seed (one CPU, the free gate).
 *
 * <p>Measured 24 Nov 2026 with the command above (5 seeds, 10 000 operations, mm1), medians:
 * <pre>
 *                      off-LRU share of last puts   same, leaving out reclaim's nonlru frees
 * slab-on-LRU off      0.7986                       0.2451 (all of it slab pages)
 * slab-on-LRU on       0.7309                       0.0000
 * </pre>
 * Slab pages were 6.5% of the releases. This workload has no other non-LRU pages (page tables,
 * vmalloc, multi-page kmalloc, network buffers), so its 0 with the option on is the best case:
 * every {@code page_cache_release()} that dropped a last reference found the page on the LRU
 * once slab pages were on it; a real kernel keeps whatever share those other users have.
 */
public final class SlabLruReleaseCensus {
    private static final Site FREE_CHECK = Site.of("__free_pages_ok", "BUG() checks");
    private static final String NONLRU = "__pagevec_release_nonlru";

    /** What one run counted. */
    record Census(long releases, long offLru, long slab, long slabOffLru, long reclaimNonlru, long ops) {
        /** Off-LRU releases over all releases. */
        double offLruFraction() {
            return releases == 0 ? 0 : (double) offLru / releases;
        }

        /** The same, leaving out reclaim's own __pagevec_release_nonlru() releases. */
        double offLruFractionOutsideReclaim() {
            long n = releases - reclaimNonlru;
            return n == 0 ? 0 : (double) (offLru - reclaimNonlru) / n;
        }
    }

    /** The census gate: remembers each page's state at its last step with count 1. */
    static final class CensusGate implements StepGate {
        private boolean[] lru = new boolean[0];
        private boolean[] slab = new boolean[0];
        private Site[] site = new Site[0];
        long releases;
        long offLru;
        long slabReleases;
        long slabOffLru;
        long reclaimNonlru;

        void size(int pages) {
            lru = new boolean[pages];
            slab = new boolean[pages];
            site = new Site[pages];
        }

        @Override
        public void step(Cpu cpu, Site s, Object target, int field, Access access) {
            if (!(target instanceof Page p) || p.pfn() >= lru.length) {
                return;
            }
            int pfn = p.pfn();
            if (s.equals(FREE_CHECK)) {
                if (site[pfn] == null) {
                    return; // a tail page of a multi-page block: never had a count of its own
                }
                releases++;
                if (!lru[pfn]) {
                    offLru++;
                }
                if (slab[pfn]) {
                    slabReleases++;
                    if (!lru[pfn]) {
                        slabOffLru++;
                    }
                }
                if (NONLRU.equals(site[pfn].function())) {
                    reclaimNonlru++;
                }
                site[pfn] = null;
                return;
            }
            if (p.count() == 1) {
                lru[pfn] = p.hasFlag(PG_lru);
                // kmem_freepages() clears PG_slab just before its put: a slab page is one that had
                // it at any step with count 1 since its last allocation
                slab[pfn] = (site[pfn] != null && slab[pfn]) || p.hasFlag(PG_slab);
                site[pfn] = s;
            }
        }
    }

    /** One run of {@code ops} operations from {@code seed}. */
    static Census run(long seed, int ops, String protocol, boolean slabOnLru) {
        CensusGate gate = new CensusGate();
        Machine m = SlabLruMachines.boot(gate, protocol, slabOnLru, 1, 384,
                ReclaimConfig.defaults().withSwapSlots(64), 16, 32, 48);
        gate.size(m.node().nrPages());
        Cpu cpu = m.cpu(0);
        Random rnd = new Random(seed);
        Filemap fm = Reclaim.of(m).filemap();
        AddressSpace hot = Reclaim.of(m).fileMapping("hot");
        AddressSpace stream = Reclaim.of(m).fileMapping("stream");
        SlabAllocator sa = SlabAllocator.of(m);
        List<KmemCache<SlabObject>> caches = List.of(
                sa.kmemCacheCreate(cpu, "dentry-like", 128, 0, 0, null, 0),
                sa.kmemCacheCreate(cpu, "size-512", 512, 0, 0, null, 0));
        List<SlabObject> objs = new ArrayList<>();
        List<AnonRegion> regions = new ArrayList<>();
        long next = 0;
        int regionNo = 0;
        for (int op = 0; op < ops; op++) {
            int r = rnd.nextInt(100);
            if (r < 30) {
                fm.read(cpu, hot, rnd.nextInt(96));
            } else if (r < 45) {
                fm.read(cpu, stream, next++);
                if (next % 200 == 0) {
                    stream.truncateInodePages(cpu, 0);
                }
            } else if (r < 60) {
                if (regions.size() < 4 && rnd.nextInt(8) == 0) {
                    AnonRegion a = Reclaim.of(m).anonRegion("anon" + regionNo++, 8 + rnd.nextInt(24));
                    regions.add(a);
                }
                if (!regions.isEmpty()) {
                    AnonRegion a = regions.get(rnd.nextInt(regions.size()));
                    int v = rnd.nextInt(a.size());
                    if (!a.fault(cpu, v)) {
                        a.touch(cpu, v);
                    }
                    if (rnd.nextInt(60) == 0) {
                        a.unmap(cpu);
                        regions.remove(a);
                    }
                }
            } else if (r < 85) {
                SlabObject o = caches.get(rnd.nextInt(2)).kmemCacheAlloc(cpu, Gfp.GFP_KERNEL);
                if (o != null) {
                    objs.add(o);
                }
            } else if (r < 99) {
                if (!objs.isEmpty()) {
                    // frees come in bursts (a directory's dentries, a closed socket's buffers)
                    int n = 1 + rnd.nextInt(8);
                    for (int i = 0; i < n && !objs.isEmpty(); i++) {
                        SlabObject o = objs.remove(rnd.nextInt(objs.size()));
                        @SuppressWarnings("unchecked")
                        KmemCache<SlabObject> c = (KmemCache<SlabObject>) o.slab().cache();
                        c.kmemCacheFree(cpu, o);
                    }
                }
            } else {
                caches.get(rnd.nextInt(2)).kmemCacheShrink(cpu);
            }
        }
        return new Census(gate.releases, gate.offLru, gate.slabReleases, gate.slabOffLru, gate.reclaimNonlru, ops);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        String protocol = args.length > 2 ? args[2] : "mm1";
        System.out.printf("slab-on-LRU release census: %d seeds (1..%d), %d ops each, protocol %s%n",
                seeds, seeds, ops, protocol);
        for (boolean on : new boolean[] {false, true}) {
            double[] all = new double[seeds];
            double[] outside = new double[seeds];
            double[] slabShare = new double[seeds];
            for (int i = 0; i < seeds; i++) {
                long seed = i + 1;
                Census c = run(seed, ops, protocol, on);
                all[i] = c.offLruFraction();
                outside[i] = c.offLruFractionOutsideReclaim();
                slabShare[i] = c.releases == 0 ? 0 : (double) c.slab / c.releases;
                System.out.printf("  seed %d slab-on-LRU %-3s: %s -> off-LRU %.4f, outside reclaim %.4f%n",
                        seed, on ? "on" : "off", c, all[i], outside[i]);
            }
            System.out.printf("slab-on-LRU %-3s: median off-LRU fraction of last puts %.4f; outside reclaim's "
                    + "nonlru releases %.4f; slab pages' share of releases %.4f%n",
                    on ? "on" : "off", median(all), median(outside), median(slabShare));
        }
    }
}
