package org.mmemu.cli;

import java.util.concurrent.Callable;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.ops.OperationType;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.Shipped;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mmemu scenarios}: the shipped scenarios (and, with --operations, what programs may call). */
@Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the shipped scenarios.")
final class ScenariosCommand implements Callable<Integer> {
    @ParentCommand
    MmemuCommand parent;

    @Option(names = "--operations", description = "also list the operations scenario programs may use")
    boolean operations;

    @Override
    public Integer call() {
        var out = parent.context().out;
        for (String name : Shipped.names()) {
            Scenario s = parent.context().scenarios.resolve(name);
            String first = s.description().lines().findFirst().orElse("");
            out.printf("%-28s %-12s expect %-40s %s%n", name,
                    s.machine().protocol() == null ? "" : s.machine().protocol(),
                    s.expect().toString(), first);
        }
        if (operations) {
            out.println();
            for (OperationType t : OperationRegistry.standard().all()) {
                out.printf("%-24s %-22s %s%n", t.name(), t.source(), t.summary());
            }
        }
        out.flush();
        return 0;
    }
}
