package org.mmemu.scenario.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.Scenario;

/**
 * The catalogue's scenario files ({@code scenarios/catalogue/}), read from the class path and run
 * on a named kernel, as {@code --kernel} would: the kernel's own protocol, composed with it.
 */
final class CatalogueScenarios {
    private CatalogueScenarios() {
    }

    /** The scenario {@code scenarios/catalogue/FILE}. */
    static Scenario load(String file) {
        return ScenarioRuns.parse(file.replace(".yaml", ""), text(file));
    }

    /** The text of {@code scenarios/catalogue/FILE}. */
    static String text(String file) {
        String resource = "scenarios/catalogue/" + file;
        try (InputStream in = CatalogueScenarios.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    /** {@code s} as a program on {@code kernel} with the kernel's own protocol. */
    static ScenarioProgram on(Scenario s, String kernel) {
        String protocol = KernelProtocols.name(ProtocolRegistry.onClassPath(), Kernels.byName(kernel), null);
        return new ScenarioProgram(s, protocol, KernelWiring.standard());
    }

    /** Every trace of {@code program}: dpor, any CPU delayed anywhere, no bound, 60 s at most. */
    static ExploreResult everyTrace(ScenarioProgram program) {
        ExploreOptions o = ExploreOptions.defaults().withPolicy("dpor").withDelays(DelayModel.ANYWHERE)
                .withPreemptionBound(-1).withMaxSchedules(1_000_000).withTimeLimit(Duration.ofSeconds(60))
                .withShrink(false).withStopAtFirst(false);
        return Explorer.explore(program, o);
    }
}
