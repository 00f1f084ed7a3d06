package org.mmemu.scenario.ops;

/**
 * An operation scenario programs may name, after the kernel function it runs
 * ({@code pagevec_release}, {@code shrink_cache}). It checks its arguments when the file is
 * read, with their positions, and binds them into an {@link Operation} that runs kernel code at
 * run time. One small final class per operation, registered in {@link OperationRegistry}.
 */
public interface OperationType {
    /** The name files use: the kernel function's. */
    String name();

    /** Where the kernel function lives, e.g. {@code mm/swap.c}. */
    String source();

    /** One line for {@code mmemu scenarios --operations} and messages. */
    String summary();

    /**
     * Checks {@code args} and binds them. Throws {@link org.mmemu.scenario.yaml.ScenarioException}
     * at the offending argument; must call {@link Args#done()} so that unknown arguments are caught.
     */
    Operation bind(Args args);
}
