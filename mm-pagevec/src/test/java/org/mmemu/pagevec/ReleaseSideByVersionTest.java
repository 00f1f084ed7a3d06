package org.mmemu.pagevec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.Linux2533Protocol;
import org.mmemu.lru.protocol.Mm1Protocol;

/**
 * Issue 23, items 7 and 8, on mm-pagevec's mirrors: {@code __pagevec_free()} frees the last page
 * first ({@code while (--i >= 0)}, mm/page_alloc.c 2.5.32-2.6.7), and
 * {@code __pagevec_release_nonlru()} makes put_page_testzero()'s debug load on 2.5.33 (19) and
 * not on -mm1.
 */
class ReleaseSideByVersionTest {
    private final List<String> sites = new ArrayList<>();
    private final List<Object> targets = new ArrayList<>();

    private Machine boot(LruProtocol protocol) {
        Machine m = new Machine(MachineConfig.of(1, 256), (cpu, site, target, field, access) -> {
            sites.add(site.toString());
            targets.add(target);
        });
        Lru.install(m, protocol);
        return m;
    }

    private static Page alloc(Machine m) {
        return m.pageAlloc().rmqueue(m.cpu(0), m.zone(ZoneType.NORMAL), 0);
    }

    @Test
    void pagevecFreeFreesTheLastPageFirst() {
        Machine m = boot(new Mm1Protocol());
        Cpu cpu = m.cpu(0);
        Pagevec pvec = new Pagevec();
        Page a = alloc(m);
        Page b = alloc(m);
        Page c = alloc(m);
        for (Page p : new Page[] {a, b, c}) {
            p.setCountQuietly(0);
            pvec.pagevecAdd(p);
        }
        targets.clear();
        sites.clear();
        Pagevecs.__pagevecFree(cpu, pvec, Site.of("test", "free"));
        List<Object> checked = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).startsWith("__free_pages_ok: BUG() checks")) {
                checked.add(targets.get(i));
            }
        }
        assertThat(checked).containsExactly(c, b, a);
    }

    @Test
    void releaseNonlruMakesTheDebugLoadOn2533AndNotOnMm1() {
        for (LruProtocol protocol : List.of(new Mm1Protocol(), new Linux2533Protocol())) {
            Machine m = boot(protocol);
            Pagevec pvec = new Pagevec();
            pvec.pagevecAdd(alloc(m));
            sites.clear();
            Pagevecs.__pagevecReleaseNonlru(m.cpu(0), pvec);
            boolean debug = sites.contains("put_page_testzero: BUG_ON(page_count(page) == 0)");
            assertThat(debug).as(protocol.name()).isEqualTo(protocol instanceof Linux2533Protocol);
            int load = sites.indexOf("put_page_testzero: BUG_ON(page_count(page) == 0)");
            if (debug) {
                assertThat(sites.get(load + 1)).isEqualTo("__pagevec_release_nonlru: if (put_page_testzero(page))");
            }
        }
    }
}
