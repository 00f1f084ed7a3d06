package org.mmemu.cli;

import java.io.PrintWriter;
import org.mmemu.report.Reports;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.run.Scenarios;

/**
 * What the commands share: where scenarios come from, how the kernel modules are wired, how
 * reports are written, and the streams. One per invocation (no static state), so tests run the
 * command line in-process with their own streams.
 */
final class Context {
    /** The protocols: the shipped ones and those of the jars the user added. */
    final ProtocolRegistry protocols;
    final Scenarios scenarios;
    final KernelWiring wiring;
    final Reports reports = new Reports();
    final PrintWriter out;
    final PrintWriter err;
    /** Whether to print the progress line (off in tests). */
    final boolean progress;

    /** Everything wired with the protocols of {@code protocols}. */
    static Context of(ProtocolRegistry protocols, PrintWriter out, PrintWriter err, boolean progress) {
        return new Context(protocols, Scenarios.standard(protocols), KernelWiring.standard(protocols), out,
                err, progress);
    }

    Context(ProtocolRegistry protocols, Scenarios scenarios, KernelWiring wiring, PrintWriter out, PrintWriter err,
            boolean progress) {
        this.protocols = protocols;
        this.scenarios = scenarios;
        this.wiring = wiring;
        this.out = out;
        this.err = err;
        this.progress = progress;
    }
}
