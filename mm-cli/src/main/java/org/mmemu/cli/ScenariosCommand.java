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
        // long cells wrap within their column, so the columns stay in line
        TextTable table = new TextTable(new int[] {28, 12, 36, 0}, new boolean[4]);
        out.print(table.row("scenario", "protocol", "expect", "what it shows"));
        for (String name : Shipped.names()) {
            Scenario s = parent.context().scenarios.resolve(name);
            String first = s.description().lines().findFirst().orElse("");
            out.print(table.row(name, s.machine().protocol() == null ? "" : s.machine().protocol(),
                    s.expect().toString(), first));
        }
        if (operations) {
            out.println();
            TextTable ops = new TextTable(new int[] {24, 22, 0}, new boolean[3]);
            for (OperationType t : OperationRegistry.standard().all()) {
                out.print(ops.row(t.name(), t.source(), t.summary()));
            }
        }
        out.flush();
        return 0;
    }
}
