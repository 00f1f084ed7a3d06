package org.mmemu.tests.ops;

import java.util.function.Consumer;

/**
 * An operation whose kernel code lives in a module not yet wired in (mm-lru, mm-pagevec,
 * mm-reclaim, mm-slab): it already checks its arguments, so that every shipped scenario is
 * validated today, and fails at run time with a {@link NotWired} naming the module. Each is
 * replaced by its own class once the module is there (one line in {@link OperationRegistry}).
 */
final class PlannedOperation implements OperationType {
    private final String name;
    private final String source;
    private final String module;
    private final String summary;
    private final Consumer<Args> signature;

    PlannedOperation(String name, String source, String module, String summary, Consumer<Args> signature) {
        this.name = name;
        this.source = source;
        this.module = module;
        this.summary = summary;
        this.signature = signature;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String summary() {
        return summary + " [needs " + module + "]";
    }

    @Override
    public Operation bind(Args args) {
        signature.accept(args);
        args.done();
        String where = args.where();
        return (world, cpu) -> {
            throw new NotWired(where + ": " + name + " needs " + module + ", which is not wired into mmemu yet");
        };
    }
}
