package org.mmemu.core.page;

/**
 * The bits of {@code page->flags}, numbered as include/linux/page-flags.h numbered them around
 * 2.5.31 (docs/FIDELITY.md: bits 12-16 read off a 2.5.31 diff, 0-11 from 2.6.5 and assumed
 * unchanged).
 */
public final class PageFlags {
    public static final int PG_locked = 0;
    public static final int PG_error = 1;
    public static final int PG_referenced = 2;
    public static final int PG_uptodate = 3;
    public static final int PG_dirty = 4;
    public static final int PG_lru = 5;
    public static final int PG_active = 6;
    public static final int PG_slab = 7;
    public static final int PG_highmem = 8;
    public static final int PG_checked = 9;
    public static final int PG_arch_1 = 10;
    public static final int PG_reserved = 11;
    public static final int PG_private = 12;
    public static final int PG_writeback = 13;
    public static final int PG_nosave = 14;
    public static final int PG_chainlock = 15;
    public static final int PG_direct = 16;

    /**
     * Not a kernel flag: a shim bit that stands for {@code page->pte.chain != NULL} (the page is
     * mapped by at least one pte; 2.5.31's rmap kept a pte chain or, with PG_direct, a single
     * pte). mmemu emulates no page tables, so mm-reclaim sets this bit where the kernel would
     * have added a pte, and {@code __free_pages_ok()}'s {@code BUG_ON(page->pte.chain)} reads it.
     * It sits far above the kernel's bits so it never collides with one.
     */
    public static final int PTE_MAPPED = 30;

    /**
     * Not a kernel flag: marks a filler page, one of the pages a scenario puts behind its named
     * pages to say "the LRU list is long" (the kernel's reclaim loops leave after a batch of
     * {@code SWAP_CLUSTER_MAX} pages, so on a real list a page they skip is not met again at
     * once). Only reclaim touches filler pages, and it folds its work on them: those steps pass
     * without the engine (see {@code Cpu#foldBegin}), so fillers add no row and no decision.
     */
    public static final int PG_filler = 29;

    private static final String[] NAMES = {
        "locked", "error", "referenced", "uptodate", "dirty", "lru", "active", "slab", "highmem",
        "checked", "arch_1", "reserved", "private", "writeback", "nosave", "chainlock", "direct"
    };

    private PageFlags() {
    }

    /** The name of bit {@code bit}, as the kernel spells it without {@code PG_}. */
    public static String name(int bit) {
        if (bit == PTE_MAPPED) {
            return "pte_mapped";
        }
        return bit >= 0 && bit < NAMES.length ? NAMES[bit] : "bit" + bit;
    }

    /** The bit named {@code name} ({@code lru}, {@code PG_lru}), or -1. */
    public static int byName(String name) {
        String n = name.startsWith("PG_") ? name.substring(3) : name;
        if (n.equals("pte_mapped")) {
            return PTE_MAPPED;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }

    /** The set flags of {@code flags}, e.g. {@code lru|active}. */
    public static String describe(int flags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (b.length() > 0) {
                    b.append('|');
                }
                b.append(NAMES[i]);
            }
        }
        if ((flags & (1 << PTE_MAPPED)) != 0) {
            b.append(b.length() > 0 ? "|" : "").append(name(PTE_MAPPED));
        }
        return b.length() == 0 ? "-" : b.toString();
    }
}
