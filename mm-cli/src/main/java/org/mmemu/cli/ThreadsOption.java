package org.mmemu.cli;

import org.mmemu.engine.StopRule;
import org.mmemu.scenario.run.EngineRunner;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Shard;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --threads N} of the commands that explore (explore, compare, demo): how many host
 * threads run independent executions of the controlled engine. The default is every processor
 * the JVM may use; verdicts and the kinds found are the same at any count.
 */
final class ThreadsOption {
    /** The most threads: far above any machine this runs on, low enough to refuse a typo. */
    static final int MAX = 1024;

    @Option(names = "--threads", paramLabel = "N",
            description = "explorer threads, 1-" + MAX + " (default: every available processor)")
    Integer threads;

    /** The count asked for, checked (exit 2 when out of range), or the default. */
    int count(CommandLine cl) {
        if (threads == null) {
            return Engines.defaultThreads();
        }
        if (threads < 1 || threads > MAX) {
            throw new ParameterException(cl, "--threads must be between 1 and " + MAX);
        }
        return threads;
    }

    /** The controlled engine on {@link #count} threads. */
    EngineRunner controlled(CommandLine cl, StopRule stop, Shard shard) {
        return Engines.controlled(stop, shard, count(cl));
    }

    /** The controlled engine on {@link #count} threads, never stopping early, the whole search. */
    EngineRunner controlled(CommandLine cl) {
        return controlled(cl, StopRule.never(), Shard.WHOLE);
    }
}
