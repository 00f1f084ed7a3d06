package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;

/**
 * Clears one flag of a page the two ways 2002's kernel code did. {@code how: plain} is
 * {@code page->flags &= ~(1 << PG_x)}, a plain read-modify-write: a load step and a store step
 * ({@link Page#flagsWord}, {@link Page#setFlagsWord}), so a bitop of another CPU between them is
 * lost; {@code how: clear_bit} is include/asm-i386/bitops.h's {@code clear_bit(PG_x,
 * &page->flags)} ({@code lock btr}), one atomic step. Form:
 * {@code clear_page_flag: {page: P, flag: dirty, how: plain}}.
 */
public final class ClearPageFlag implements OperationType {
    private static final String[] RMW = {"load page->flags", "store page->flags"};

    @Override
    public String name() {
        return "clear_page_flag";
    }

    @Override
    public String source() {
        return "include/linux/page-flags.h";
    }

    @Override
    public String summary() {
        return "page->flags &= ~(1 << PG_x) (plain: a load and a store) or clear_bit (atomic)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        String name = args.string("flag", 1, null);
        int bit = PageFlags.byName(name);
        if (bit < 0) {
            throw args.error("unknown page flag '" + name + "'");
        }
        String how = args.string("how", 2, "clear_bit");
        args.done();
        String pg = "PG_" + PageFlags.name(bit);
        return switch (how) {
            case "plain" -> {
                Site site = Site.of("clear_page_flag", "page->flags &= ~(1 << " + pg + ")");
                yield (world, cpu) -> {
                    Page page = p.in(world);
                    int flags = page.flagsWord(cpu, site.part(0, RMW));
                    page.setFlagsWord(cpu, site.part(1, RMW), flags & ~(1 << bit));
                };
            }
            case "clear_bit" -> {
                Site site = Site.of("clear_page_flag", "clear_bit(" + pg + ", &page->flags)");
                yield (world, cpu) -> p.in(world).clearFlag(cpu, site, bit);
            }
            default -> throw args.error("how: '" + how + "' is neither plain nor clear_bit");
        };
    }
}
