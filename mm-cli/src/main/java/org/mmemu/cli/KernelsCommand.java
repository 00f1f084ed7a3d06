package org.mmemu.cli;

import java.util.concurrent.Callable;
import org.mmemu.scenario.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mmemu kernels}: the kernels a machine runs as ({@code --kernel}, {@code machine: kernel:}),
 * one a line: name, date, own protocol, what it changes; then the compositions.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "List the kernels (--kernel, machine: kernel:), their date, own protocol and changes.")
final class KernelsCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @Override
    public Integer call() {
        var out = parent.context().out;
        out.print(line("kernel", "date", "protocol", "changes"));
        for (Kernels.Kernel k : Kernels.all()) {
            if (!k.composition()) {
                out.print(row(k));
            }
        }
        out.printf("%ncompositions (a stored version plus or minus a named change):%n");
        for (Kernels.Kernel k : Kernels.all()) {
            if (k.composition()) {
                out.print(row(k));
            }
        }
        out.printf("%n--kernel V runs V's own protocol; --kernel V --protocol P runs P's release and isolation on V's"
                + " profile.%nA kernel's own protocol (pre-fix, mm1, 2.5.33, testone, unless-zero) runs only on its"
                + " kernels; the proposals on any.%n");
        out.flush();
        return 0;
    }

    /** One line per kernel, however long its changes (so that {@code grep} finds the whole of it). */
    private static String row(Kernels.Kernel k) {
        String name = k.name() + (k.aliases().isEmpty() ? "" : " (" + String.join(", ", k.aliases()) + ")");
        return line(name, k.date(), k.mirrored() ? k.ownProtocol() : "-", k.changes());
    }

    private static String line(String name, String date, String protocol, String changes) {
        return String.format("%-29s %-24s %-12s %s%n", name, date, protocol, changes);
    }
}
