package org.mmemu.scenario.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BadInputTest {
    @Test
    void findsTheScenariosErrorUnderAnEnginesWrapping() {
        NotWired cause = new NotWired("pagevec_release needs mm-pagevec");
        RuntimeException wrapped = new IllegalStateException("emulator error on a CPU thread",
                new RuntimeException("worker", cause));
        assertThat(BadInput.in(wrapped)).containsSame(cause);
        assertThat(BadInput.in(new IllegalStateException("a real bug"))).isEmpty();
    }
}
