package org.mmemu.scenario.run;

import java.util.List;
import java.util.Optional;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.RmapShape;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.protocol.ForwardingLruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.lru.protocol.ZoneLockOnKernel;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.Kernels.Kernel;

/**
 * A protocol run on a kernel ({@code machine: kernel:}, {@code --kernel}): the machine's profile is
 * the kernel's ({@code KernelProfile.of}), the release and isolation statements the protocol's.
 * The names {@link Kernels#compose} makes ({@code always-lock@2.6.7}) are resolved here, and a
 * protocol whose own profile is already the kernel's keeps its plain name, so that
 * {@code --kernel 2.5.33} is {@code --protocol 2.5.33} step for step.
 *
 * <p>Emulator, not a mirror. How the profile reaches the statements: the zone-lock paths take
 * it as an argument ({@link ZoneLockOnKernel}); every other protocol is wrapped
 * ({@link OnKernel}), which sets the profile {@code Lru}, {@code Pagevecs} and {@code Vmscan}
 * ask. The proposals and {@code no-tests} read no profile in their own statements, and
 * {@code testone} on 2.6.6 reads 2.6.7's release choices, which are 2.6.6's (KernelsTest checks).
 */
public final class KernelProtocols {
    /** The protocol whose statements are the zone-lock paths, run with each such kernel's profile. */
    private static final String ZONE_LOCK = "2.5.33";

    private KernelProtocols() {
    }

    /**
     * What a program carries for {@code protocol} (null: the kernel's own) on {@code kernel}:
     * the plain protocol name when its profile is the kernel's, else {@code P@V}.
     *
     * @throws IllegalArgumentException one line, when the composition cannot be made or the protocol is unknown
     */
    public static String name(ProtocolRegistry protocols, Kernel kernel, String protocol) {
        String composed = Kernels.compose(kernel, protocol);
        String p = Kernels.protocolOf(composed);
        return protocols.byName(p).profile().equals(profileOf(kernel)) ? p : composed;
    }

    /** The protocol called {@code name}: a registered one, or one {@link #name} composed. */
    public static LruProtocol resolve(ProtocolRegistry protocols, String name) {
        return find(protocols, name).orElseThrow(() -> new IllegalArgumentException(
                "unknown protocol '" + name + "'; known: " + String.join(", ", protocols.names())));
    }

    /** {@link #resolve}, empty when there is none. */
    public static Optional<LruProtocol> find(ProtocolRegistry protocols, String name) {
        Optional<Kernel> kernel = Kernels.kernelOf(name);
        Optional<LruProtocol> p = protocols.find(Kernels.protocolOf(name));
        if (kernel.isEmpty() || p.isEmpty()) {
            return name.indexOf(Kernels.ON) < 0 ? p : Optional.empty();
        }
        return Optional.of(on(p.get(), kernel.get()));
    }

    /** {@code p} on {@code kernel}, whose profile is {@code KernelProfile.of(kernel.profileVersion())}. */
    static LruProtocol on(LruProtocol p, Kernel kernel) {
        KernelProfile profile = profileOf(kernel);
        if (p.profile().equals(profile)) {
            return p;
        }
        if (p.name().equals(kernel.ownProtocol()) && p.name().equals(ZONE_LOCK)) {
            return new ZoneLockOnKernel(p, profile);
        }
        return new OnKernel(p, profile);
    }

    /**
     * The profile a machine of {@code kernel} runs with: its version's; for a composition with or
     * without the page-freeing-race-fix, with the debug load of put_page_testzero() that the
     * count it has (biased with the fix's testone, plain without) brings; for
     * {@link Kernels#REFILL_LOCKUP_FIX}, with refill_inactive_zone() counting every page.
     */
    public static KernelProfile profileOf(Kernel kernel) {
        KernelProfile p = KernelProfile.of(kernel.profileVersion());
        if (!kernel.composition()) {
            return p;
        }
        if (kernel.name().equals(Kernels.REFILL_LOCKUP_FIX)) {
            return p.withRefillCountsScanned(true);
        }
        boolean biased = "testone".equals(kernel.ownProtocol());
        return withChange(kernel.name(), p.withPutPageTestzeroBugOn(!biased && p.atLeast("2.5.33")));
    }

    /** The change composition {@code name} makes to its base's reverse-mapping choices ({@code RmapShape}), if any. */
    private static KernelProfile withChange(String name, KernelProfile p) {
        return switch (name) {
            case Kernels.RMAPLOCK -> p.withRmap(p.rmap().withPageReferenced(RmapShape.PageReferenced.PAGE_LOCK_LOST_UNLOCK));
            case Kernels.RMAPLOCK_FIXED -> p.withRmap(p.rmap().withPageReferenced(RmapShape.PageReferenced.PAGE_LOCK));
            case Kernels.SET_PAGE_DIRTY_RACE -> p.withRmap(p.rmap().withSetPageDirtyRechecksMapping(false));
            default -> p;
        };
    }

    /**
     * A protocol's statements with another kernel's profile: everything but the profile and
     * version is the delegate's.
     */
    static final class OnKernel extends ForwardingLruProtocol {
        private final KernelProfile profile;

        OnKernel(LruProtocol delegate, KernelProfile profile) {
            super(delegate);
            this.profile = profile;
        }

        @Override
        public String name() {
            return delegate().name();
        }

        @Override
        public String origin() {
            return delegate().origin() + "; here on " + profile.version();
        }

        @Override
        public String version() {
            return profile.version();
        }

        @Override
        public KernelProfile profile() {
            return profile;
        }

        @Override
        public List<String> changesets() {
            return delegate().changesets();
        }

        @Override
        public SeedRaceExpectation expectedOnSeedRace() {
            return delegate().expectedOnSeedRace();
        }
    }
}
