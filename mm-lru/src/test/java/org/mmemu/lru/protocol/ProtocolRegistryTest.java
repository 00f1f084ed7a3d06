package org.mmemu.lru.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.core.KernelProfile;
import org.mmemu.lru.LruProtocol;

/** Protocols are found with ServiceLoader: the shipped ones, and one a loader adds. */
class ProtocolRegistryTest {
    @TempDir
    Path dir;

    /** A protocol from outside mm-lru's services file, only to be found (never run). */
    public static final class Extra extends ForwardingLruProtocol {
        public Extra() {
            super(new AlwaysLockProtocol());
        }

        @Override
        public String name() {
            return "extra";
        }

        @Override
        public String origin() {
            return "a test";
        }

        @Override
        public String version() {
            return "2.5.31";
        }
    }

    /** Claims a shipped protocol's name. */
    public static final class Impostor extends ForwardingLruProtocol {
        public Impostor() {
            super(new Mm1Protocol());
        }

        @Override
        public String name() {
            return delegate().name();
        }

        @Override
        public String origin() {
            return "an impostor";
        }

        @Override
        public String version() {
            return delegate().version();
        }
    }

    @Test
    void theShippedProtocolsAreServicesAndDeclareWhatOthersNeed() {
        ProtocolRegistry r = ProtocolRegistry.onClassPath();
        assertThat(r.names()).startsWith("pre-fix", "mm1", "2.5.33", "always-lock", "count-one");
        assertThat(r.all()).filteredOn(LruProtocol::leavesZeroCountPages).extracting(LruProtocol::name)
                .containsExactly("count-one");
        assertThat(r.all()).filteredOn(p -> p.expectedOnSeedRace().doubleFree()).extracting(LruProtocol::name)
                .containsExactly("pre-fix", "mm1", "2.5.33", "no-tests");
        assertThat(r.byName("mm1").changesets()).isNotEmpty();
        // the kernels by version, each with the changesets it follows
        assertThat(r.byName("mm1").version()).isEqualTo("2.5.31-mm1");
        assertThat(r.byName("2.5.33").version()).isEqualTo("2.5.33");
        assertThat(r.byName("pre-fix").version()).isEqualTo("2.5.31-bk");
        assertThat(r.byName("testone").version()).isEqualTo("2.6.7");
        assertThat(r.byName("unless-zero").version()).isEqualTo("2.6.16");
        assertThat(r.byName("no-tests").version()).isEqualTo("constructed");
        assertThat(r.byName("mm1").changesets()).anyMatch(c -> c.startsWith("13-88d4b53801"))
                .noneMatch(c -> c.startsWith("14-") || c.startsWith("19-"));
        assertThat(r.byName("2.5.33").changesets()).anyMatch(c -> c.startsWith("14-3f76fabd72"))
                .anyMatch(c -> c.startsWith("19-3e866fad90"));
        assertThat(r.byName("pre-fix").changesets()).hasSize(8).allMatch(c -> c.startsWith("0"));
        assertThat(r.find("mm2")).isEmpty();
    }

    @Test
    void aLoaderWithAnotherServicesFileAddsItsProtocolAfterTheShippedOnes() throws IOException {
        ProtocolRegistry r = ProtocolRegistry.load(loaderListing(Extra.class));
        assertThat(r.names()).hasSize(ProtocolRegistry.onClassPath().names().size() + 1).endsWith("extra");
        assertThat(r.byName("extra")).isInstanceOf(Extra.class);
        assertThat(r.byName("extra").expectedOnSeedRace().doubleFree()).isFalse();
        assertThat(ProtocolRegistry.onClassPath().find("extra")).isEmpty();
    }

    @Test
    void twoProtocolsWithOneNameAreRefused() throws IOException {
        assertThatThrownBy(() -> ProtocolRegistry.load(loaderListing(Impostor.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'mm1'").hasMessageContaining(Impostor.class.getName());
    }

    @Test
    void eachShippedKernelDeclaresItsProfile() {
        ProtocolRegistry r = ProtocolRegistry.onClassPath();
        assertThat(r.byName("mm1").profile()).isSameAs(KernelProfile.V2_5_31_MM1);
        assertThat(r.byName("2.5.33").profile()).isSameAs(KernelProfile.V2_5_33);
        assertThat(r.byName("testone").profile()).isSameAs(KernelProfile.V2_6_7);
        assertThat(r.byName("no-tests").profile()).isSameAs(KernelProfile.V2_5_33);
        for (LruProtocol p : r.all()) {
            // a protocol's choices are those its version names: a protocol of one's own gets them by default
            assertThat(p.profile()).as(p.name()).usingRecursiveComparison().ignoringFields("version")
                    .isEqualTo(KernelProfile.of(p.version()));
        }
        assertThat(new Extra().profile()).isEqualTo(KernelProfile.of("2.5.31"));
    }

    @Test
    void aClassPathOfDirectoriesAndJarsAddsTheirProtocols() throws IOException {
        loaderListing(Extra.class);
        ProtocolRegistry r = ProtocolRegistry.withClassPath(List.of(new ProtocolRegistry.ClassPath("--classpath", dir.toString()),
                new ProtocolRegistry.ClassPath("MMEMU_CLASSPATH", null)));
        assertThat(r.names()).endsWith("extra");
        assertThat(ProtocolRegistry.withClassPath(List.of(new ProtocolRegistry.ClassPath("--classpath", " "))))
                .isSameAs(ProtocolRegistry.onClassPath());
    }

    @Test
    void aClassPathEntryThatIsNoJarNorDirectoryIsRefusedInOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        assertThatThrownBy(() -> ProtocolRegistry.withClassPath(List.of(new ProtocolRegistry.ClassPath("--classpath", text.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--classpath: not a jar or directory: " + text);
        assertThatThrownBy(() -> ProtocolRegistry.withClassPath(
                List.of(new ProtocolRegistry.ClassPath("MMEMU_CLASSPATH", dir.resolve("nope.jar").toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MMEMU_CLASSPATH: no such jar or directory: " + dir.resolve("nope.jar"));
    }

    private ClassLoader loaderListing(Class<?> provider) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(LruProtocol.class.getName()), provider.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }
}
