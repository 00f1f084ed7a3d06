package org.mmemu.cli;

import java.util.concurrent.Callable;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mmemu protocols}: what each protocol is, where it comes from, what it should do. */
@Command(name = "protocols", mixinStandardHelpOptions = true, description = "List the refcount/LRU protocols, their origin and expected behaviour.")
final class ProtocolsCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @Override
    public Integer call() {
        var out = parent.context().out;
        for (LruProtocol p : parent.context().protocols.all()) {
            out.printf("%-13s %s%n%-13s version: %s%n%-13s expected: %s%s%n", p.name(), p.origin(), "", p.version(), "",
                    p.expectedOnSeedRace().summary(), p.biasedCount() ? " (biased page count)" : "");
            // the changesets the protocol follows (docs/FIDELITY.md), one a line
            for (String c : p.changesets()) {
                out.printf("%-13s changeset: %s%n", "", c);
            }
        }
        out.printf("%ndefault: %s%n", ProtocolRegistry.DEFAULT);
        out.flush();
        return 0;
    }
}
