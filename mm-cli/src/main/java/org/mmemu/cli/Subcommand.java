package org.mmemu.cli;

/**
 * A subcommand of {@code mmemu} that another module adds: a picocli {@code @Command} class that
 * implements this interface, has a public no-argument constructor and is named in that module's
 * {@code META-INF/services/org.mmemu.cli.Subcommand}. The command line lists it after its own
 * commands; its output goes to {@code spec.commandLine().getOut()}, which is the command line's.
 * This is how {@code bench} (mm-bench) joins the command line without mm-cli depending on the
 * benchmarks.
 */
public interface Subcommand {
}
