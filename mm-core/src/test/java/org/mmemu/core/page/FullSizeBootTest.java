package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;

/**
 * A 16 GiB server of 2002 (4 Mi pages of 4 KiB) boots in a heap of 512 MiB: at about 62 bytes an
 * emulated page the machine needs about 260 MiB. The boot runs in a forked JVM with
 * {@code -Xmx512m} (the default collector of the JDK, G1 here, whose humongous arrays the
 * sectioned {@code mem_map} avoids), which allocates and frees a page and runs the accounting
 * checks over every frame before it reports.
 */
class FullSizeBootTest {
    static final int PAGES = 4 << 20;

    @Test
    void fourMebiPagesBootUnderHalfAGibibyteOfHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                FullSizeBootTest.class.getName(), String.valueOf(PAGES)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(out).contains("booted " + PAGES + " pages, " + PAGES + " free, 0 findings");
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The forked side: boots, allocates and frees one page, checks, reports. */
    public static void main(String[] args) {
        int pages = Integer.parseInt(args[0]);
        Machine m = new Machine(MachineConfig.of(1, pages), StepGate.FREE);
        Cpu cpu = m.cpu(0);
        Page page = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
        m.pageAlloc().freePage(cpu, page);
        m.detectors().checkQuiescent();
        System.out.println("booted " + m.node().nrPages() + " pages, " + m.pageAlloc().nrFreePages() + " free, "
                + m.detectors().findings().size() + " findings");
    }
}
