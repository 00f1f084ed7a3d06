package org.mmemu.lru.protocol;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.mmemu.core.KernelProfile;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;

/**
 * The zone-lock release and isolation paths ({@link ZoneLockPaths}, 2.5.33's shape) run as
 * another kernel of that shape: 2.5.32, 2.5.39, 2.6.0, 2.6.6, or 2.6.7 without the
 * page-freeing-race fix. Those kernels' mm/swap.c: release_pages() and __page_cache_release()
 * and mm/vmscan.c's isolation differ from 2.5.33's only in choices their {@link KernelProfile}
 * names (the refill zero test, the debug checks, the relock after a free, the drain in
 * __pagevec_release()), so the paths with that kernel's profile are that kernel's.
 *
 * <p>Emulator, not a mirror: it names what it runs; the statements are {@link ZoneLockPaths}'.
 * Not registered as a protocol of its own: the scenario runner makes one for {@code kernel:}
 * (mm-scenario {@code Kernels}). Its name, origin, changesets and seed-race expectation are
 * those of the protocol whose paths it runs ({@code 2.5.33}); its version and profile the
 * kernel's.
 */
public final class ZoneLockOnKernel extends ZoneLockProtocol {
    private final LruProtocol paths;

    /**
     * The paths of {@code paths} (a zone-lock protocol, e.g. {@link Linux2533Protocol}) as
     * {@code kernel} runs them.
     */
    public ZoneLockOnKernel(LruProtocol paths, KernelProfile kernel) {
        super(checkNotNull(kernel, "kernel"));
        if (!(checkNotNull(paths, "paths") instanceof ZoneLockProtocol)) {
            throw new IllegalArgumentException(paths.name() + " does not run the zone-lock paths");
        }
        this.paths = paths;
    }

    @Override
    public String name() {
        return paths.name();
    }

    @Override
    public String origin() {
        return paths.origin() + "; here as " + profile().version();
    }

    @Override
    public String version() {
        return profile().version();
    }

    @Override
    public List<String> changesets() {
        return paths.changesets();
    }

    @Override
    public SeedRaceExpectation expectedOnSeedRace() {
        return paths.expectedOnSeedRace();
    }
}
