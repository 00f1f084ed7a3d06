package org.mmemu.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.yaml.ScenarioException;

/** {@link Kernels}: the table, what composes, and {@code machine: kernel:} in a file. */
class KernelsTest {
    private final ScenarioLoader loader = new ScenarioLoader(OperationRegistry.standard(),
            ProtocolRegistry.onClassPath().names());

    private Scenario parse(String machineLines) {
        String text = "name: k\nmachine:\n  cpus: 1\n  zones: { Normal: 8 }\n" + machineLines
                + "pages:\n  P: { zone: Normal, count: 1 }\nprograms:\n  cpu0:\n    - put_page: P\nexpect: []\n";
        return loader.parse("k.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyVersionOfTheIssueIsListedAndEveryMirroredOneHasAnOwnProtocol() {
        for (String v : List.of("2.5.31", "2.5.31-mm1", "2.5.31-bk", "2.5.32", "2.5.33", "2.5.39", "2.6.0", "2.6.6",
                "2.6.7", "2.6.16")) {
            assertThat(Kernels.find(v)).as(v).isPresent();
        }
        assertThat(Kernels.byName("bk-18aug").name()).isEqualTo("2.5.31-bk");
        assertThat(Kernels.byName("2.5.31").mirrored()).isFalse();
        for (Kernels.Kernel k : Kernels.all()) {
            if (k.mirrored()) {
                assertThat(ProtocolRegistry.onClassPath().find(k.ownProtocol())).as(k.name()).isPresent();
            }
        }
        assertThatThrownBy(() -> Kernels.byName("2.6.9")).hasMessageContaining("unknown kernel '2.6.9'");
    }

    @Test
    void aKernelsProtocolRunsOnlyOnItsKernelsAndTheProposalsOnAny() {
        assertThat(Kernels.check(Kernels.byName("2.6.7"), "always-lock")).isEmpty();
        assertThat(Kernels.check(Kernels.byName("2.6.0"), "2.5.33")).isEmpty();
        assertThat(Kernels.check(Kernels.byName("2.6.6+page-freeing-race-fix"), "testone")).isEmpty();
        assertThat(Kernels.check(Kernels.byName("2.6.7"), "mm1")).get().asString()
                .contains("release path of 2.5.31-mm1");
        assertThat(Kernels.check(Kernels.byName("2.5.31-mm1"), "2.5.33")).isPresent();
        assertThat(Kernels.check(Kernels.byName("2.5.31"), "always-lock")).get().asString()
                .contains("not mirrored");
        assertThat(Kernels.compose(Kernels.byName("2.6.7"), null)).isEqualTo("testone@2.6.7");
        assertThat(Kernels.protocolOf("always-lock@2.6.7")).isEqualTo("always-lock");
        assertThat(Kernels.kernelOf("always-lock@2.6.7")).map(Kernels.Kernel::name).hasValue("2.6.7");
        assertThat(Kernels.protocolOf("mm1")).isEqualTo("mm1");
        assertThat(Kernels.kernelOf("mm1")).isEmpty();
    }

    @Test
    void machineKernelIsReadCheckedAndNormalised() {
        assertThat(parse("  kernel: bk-18aug\n").machine().kernel()).isEqualTo("2.5.31-bk");
        assertThat(parse("  kernel: 2.6.7\n  protocol: dec-and-lock\n").machine().protocol()).isEqualTo("dec-and-lock");
        assertThat(parse("  protocol: mm1\n").machine().kernel()).isNull();
        assertThatThrownBy(() -> parse("  kernel: 2.6.7\n  protocol: 2.5.33\n"))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("k.yaml:6:13: protocol 2.5.33");
        assertThatThrownBy(() -> parse("  kernel: 2.4.18\n"))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("k.yaml:5:11: kernel '2.4.18'");
    }

    @Test
    void theRefillLockupFixIs2533WithARefillLoopThatCountsEveryPageAndNothingElse() {
        Kernels.Kernel k = Kernels.byName(Kernels.REFILL_LOCKUP_FIX);
        assertThat(k.composition()).isTrue();
        assertThat(k.ownProtocol()).isEqualTo("2.5.33");
        assertThat(k.commit()).isEqualTo("4fac8df90b80597b4748410ca97fdd2a62040e19");
        org.mmemu.core.KernelProfile base = org.mmemu.core.KernelProfile.of("2.5.33");
        assertThat(base.refillCountsScanned()).isFalse();
        assertThat(org.mmemu.scenario.run.KernelProtocols.profileOf(k)).isEqualTo(base.withRefillCountsScanned(true));
        assertThat(Kernels.byName("2.6.6+page-freeing-race-fix").commit())
                .isEqualTo("ad5d48f239c22944edf4f0e6da8da72377b9919f");
        assertThat(Kernels.byName("2.6.6").commit()).isNull();
    }
}
