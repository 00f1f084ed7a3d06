package org.mmemu.core.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

/**
 * The quiescent checks of mm-core (docs/ARCHITECTURE.md §4): per zone, that the allocator's three views of
 * free memory agree, that every page some module claims is really allocated and claimed once,
 * and that no allocated page has a count of zero (a leak).
 *
 * <p><b>Free memory, three ways.</b> The pages counted by walking the buddy free lists, the
 * zone's {@code free_pages}, and the pages the detectors' shadow says the allocator owns must
 * be one number. A double free that the run survived (double-free not a stop kind) shows up
 * here as lists and counter disagreeing with the shadow.
 *
 * <p><b>The identity.</b> {@code free + on-LRU + slab + held = total}, where the middle terms
 * come from the {@link PageAccount}s other modules register and "held" is what is left: pages
 * allocated and owned by some caller. A page claimed by a part while the allocator owns it, or
 * claimed by two parts, breaks the identity and is reported as accounting.
 *
 * <p><b>Leaks.</b> An allocated page (not a tail of a larger block, not reserved) whose count is
 * zero belongs to nobody: the zero-ref page left on the LRU by the seed mail's count-one
 * proposal, or a page whose last put forgot to free it. One leak finding per page.
 */
public final class Accounting {
    private final Node node;
    private final Detectors detectors;
    private final List<PageAccount> parts = new CopyOnWriteArrayList<>();

    public Accounting(Node node, Detectors detectors) {
        this.node = node;
        this.detectors = detectors;
    }

    /** Adds a module's part of the identity; mm-lru and mm-slab call this when they attach. */
    public void register(PageAccount part) {
        parts.add(part);
    }

    /** The registered parts. */
    public List<PageAccount> parts() {
        return List.copyOf(parts);
    }

    /** One zone's pages by where they are, for reports: {@code free + parts + held = total}. */
    public record ZoneAccount(String zone, int total, int free, Map<String, Integer> parts, int held) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(zone).append(": free ").append(free);
            parts.forEach((k, v) -> b.append(" + ").append(k).append(' ').append(v));
            return b.append(" + held ").append(held).append(" = ").append(total).toString();
        }
    }

    /** The identity's terms for {@code zone} as they stand, without checks. */
    public ZoneAccount summary(Zone zone) {
        int free = detectors.countFree(zone.startPfn(), zone.size());
        Map<String, Integer> counts = new LinkedHashMap<>();
        int claimed = 0;
        for (PageAccount part : parts) {
            int[] n = {0};
            part.forEachPage(zone, p -> n[0]++);
            counts.put(part.name(), n[0]);
            claimed += n[0];
        }
        return new ZoneAccount(zone.name(), zone.size(), free, counts, zone.size() - free - claimed);
    }

    /** Runs every check on every zone; findings go to the detectors. Returns how many were found. */
    public int check() {
        int found = 0;
        for (Zone z : node.zones()) {
            found += checkFreeAreas(z);
            found += checkParts(z);
            found += checkLeaks(z);
        }
        return found;
    }

    /** Free memory three ways: buddy lists, {@code zone->free_pages}, the shadow. */
    int checkFreeAreas(Zone zone) {
        long listed = 0;
        List<String> problems = new ArrayList<>();
        for (int order = 0; order < Zone.MAX_ORDER; order++) {
            FreeArea area = zone.freeArea(order);
            int blocks = 0;
            int limit = zone.size() + 1;
            Page listHead = area.freeList.head;
            for (Page head = listHead.lnext; head != listHead; head = head.lnext) {
                if (FreeList.broken(head) || blocks > limit) {
                    problems.add("free_area[" + order + "] list is broken");
                    break;
                }
                if (head.zone() != zone) {
                    problems.add("free_area[" + order + "] holds " + head + " of another zone");
                } else if (detectors.countFree(head.pfn(), 1 << order) != 1 << order) {
                    problems.add("free_area[" + order + "] holds pfn " + head.pfn()
                            + " but the shadow says part of the block is allocated");
                }
                blocks++;
            }
            if (blocks != area.nrFree()) {
                problems.add("free_area[" + order + "]: " + blocks + " blocks listed, nr_free " + area.nrFree());
            }
            listed += (long) blocks << order;
        }
        int shadow = detectors.countFree(zone.startPfn(), zone.size());
        if (listed != zone.freePages() || zone.freePages() != shadow) {
            problems.add(0, "free pages: " + listed + " on the buddy lists, zone->free_pages " + zone.freePages()
                    + ", " + shadow + " owned by the allocator in the shadow");
        }
        for (String p : problems) {
            detectors.recordQuiescent(finding(zone, -1, p));
        }
        return problems.size();
    }

    /** Each claimed page is allocated and claimed by one part only. */
    int checkParts(Zone zone) {
        if (parts.isEmpty()) {
            return 0;
        }
        String[] claimedBy = new String[zone.size()];
        int[] found = {0};
        for (PageAccount part : parts) {
            part.forEachPage(zone, p -> {
                String problem = null;
                if (p.zone() != zone) {
                    problem = part.name() + " counts " + p + " in zone " + zone.name();
                } else if (detectors.isFree(p.pfn())) {
                    problem = part.name() + " holds a page the allocator owns";
                } else if (claimedBy[p.pfn() - zone.startPfn()] != null) {
                    problem = "held by both " + claimedBy[p.pfn() - zone.startPfn()] + " and " + part.name();
                } else {
                    claimedBy[p.pfn() - zone.startPfn()] = part.name();
                }
                if (problem != null) {
                    found[0]++;
                    detectors.recordQuiescent(finding(zone, p.pfn(), problem + " (" + summary(zone) + ")"));
                }
            });
        }
        return found[0];
    }

    /** Allocated pages with a count of zero. */
    int checkLeaks(Zone zone) {
        int found = 0;
        for (int i = 0; i < zone.size(); i++) {
            Page p = zone.pageIfLookedAt(i);
            if (p == null) {
                continue; // as boot left it: free
            }
            long pfn = p.pfn();
            if (!detectors.isFree(pfn) && !detectors.isTail(pfn) && !p.hasFlag(PageFlags.PG_reserved)
                    && p.count() == 0) {
                found++;
                detectors.recordQuiescent(new Finding(FindingKind.LEAK, pfn, -1, null,
                        "allocated page with count 0 that nobody will free (" + p + ")", List.of(), Map.of(), ""));
            }
        }
        return found;
    }

    private static Finding finding(Zone zone, long pfn, String message) {
        return new Finding(FindingKind.ACCOUNTING, pfn, -1, null, "zone " + zone.name() + ": " + message,
                List.of(), Map.of(), "");
    }
}
