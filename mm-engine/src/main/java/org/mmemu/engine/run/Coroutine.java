package org.mmemu.engine.run;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.mmemu.engine.MissingJvmFlag;

/**
 * One emulated CPU's kernel code as a one-shot delimited continuation of the JDK
 * ({@code jdk.internal.vm.Continuation}, the mechanism under virtual threads): {@link #run}
 * mounts it on the calling thread until it calls {@link #yield} or its code ends, and the next
 * {@link #run} resumes it where it yielded. A yield copies the few frames of the CPU's stack to
 * the heap and returns to the caller of {@link #run}; there is no OS call and no other thread.
 *
 * <p><b>The problem.</b> The kernel mirrors are plain Java that call {@code StepGate.step}
 * before every operation on shared state, deep inside their own call stacks; the engine must be
 * able to stop a CPU there and run another one, millions of times per second. The first engine
 * gave each CPU a platform thread and passed a baton with {@code LockSupport.park/unpark}: each
 * handover was two futex calls and a trip through the OS scheduler, 0.1 to 0.4 M handovers/s,
 * and with more CPU threads than host cores worse still. Spinning instead of parking is fast
 * only while threads do not outnumber cores, which they always do when one explorer runs per
 * core.
 *
 * <p><b>Why continuations and not virtual threads.</b> Virtual threads would give the same
 * one-thread execution if their scheduler were an executor run by the driver (one carrier, the
 * caller), but that scheduler is not public API (it takes {@code --add-opens java.base/java.lang}
 * and reflection), and each handover then adds a task submission, a queue and the virtual
 * thread's state machine around the same yield. Measured in one run on JDK 25 (mm-tests
 * {@code HandoffBench}, docs/BENCHMARKS.md "Controlled engine v2") continuations hand over
 * faster at every CPU count from 2 to 8, flat in the number of CPUs; they also need only
 * {@code --add-exports}, which {@link Coroutine#check} demands with one line when missing.
 *
 * <p><b>Access.</b> The class is not exported by {@code java.base}, and the project compiles
 * with {@code --release 21}, which rejects {@code --add-exports} at compile time. So its members
 * are reached through method handles, looked up once and kept in static final fields: the JIT
 * treats those as constants and inlines the call as it would a direct one. At run time the JVM
 * needs {@value #FLAG}; without it {@link #check} throws a {@link MissingJvmFlag} whose one-line
 * message names the flag.
 *
 * <p><b>Monitors.</b> Kernel mirrors never hold a Java monitor across a step. On JDK 21 a
 * continuation cannot yield inside a {@code synchronized} block (it is pinned: the yield throws
 * {@code IllegalStateException: Pinned: MONITOR}, an emulator error); from JDK 24 on it yields
 * and keeps the monitor, and a second CPU entering the same monitor would then block the one
 * host thread for good. The {@code synchronized} blocks left in the kernel code (slab per-CPU
 * caches, the dentry statistics, the page-cache tree) are entered after a step and left before
 * the next, there for the free engine's real threads; {@code Machine.extension}, on every
 * operation's path, reads without one.
 */
// Public only so that the handoff benchmark (org.mmemu.bench.HandoffBench) can measure the bare
// mechanism beside the engine; nothing else outside this package uses it.
public final class Coroutine {
    /** The JVM flag the controlled engine needs. */
    public static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    /** Why the continuations are out of reach, or null when they are not. */
    private static final Throwable MISSING;

    static {
        Object scope = null;
        MethodHandle make = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        MethodHandle done = null;
        Throwable missing = null;
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("mmemu-cpu");
            make = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .bindTo(scope).asType(MethodType.methodType(Object.class, Runnable.class));
            run = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = MethodHandles.insertArguments(
                    l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass)), 0, scope);
            done = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable e) {
            missing = e;
        }
        SCOPE = scope;
        NEW = make;
        RUN = run;
        YIELD = yield;
        IS_DONE = done;
        MISSING = missing;
    }

    private final Object continuation;

    /** A coroutine that will run {@code body} when first {@linkplain #run run}. */
    public Coroutine(Runnable body) {
        check();
        try {
            continuation = (Object) NEW.invokeExact(body);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * Fails with one line naming {@link #FLAG} when the JVM does not give access to the JDK's
     * continuations; engines call it when they start.
     */
    public static void check() {
        if (MISSING != null) {
            MissingJvmFlag e = new MissingJvmFlag(FLAG, "the controlled engine");
            e.initCause(MISSING);
            throw e;
        }
    }

    /** Runs the coroutine on this thread until it yields or ends. */
    public void run() {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Whether its code has ended. */
    public boolean done() {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Suspends the coroutine running on this thread; its {@link #run} returns. */
    public static void yield() {
        try {
            boolean ignored = (boolean) YIELD.invokeExact();
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(e);
    }
}
