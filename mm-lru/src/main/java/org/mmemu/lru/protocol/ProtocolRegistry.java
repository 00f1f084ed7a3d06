package org.mmemu.lru.protocol;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.mmemu.lru.LruProtocol;

/**
 * The protocols mmemu knows, by name: every {@link LruProtocol} listed in a
 * {@code META-INF/services/org.mmemu.lru.LruProtocol} file a class loader can see, found with
 * {@link ServiceLoader}, in the order the loader finds them (mm-lru's own first, in the
 * order of docs/ARCHITECTURE.md §5, when mm-lru comes first on the class path). The one registry
 * of protocols: the shipped ones and those on mmemu's class path ({@link #onClassPath()}), those
 * a user adds in jars ({@link #withClassPath}, {@code --classpath} and {@code MMEMU_CLASSPATH}),
 * and the default ({@link #DEFAULT}). What scenario files, the command line, the benchmarks and
 * the tests read. Immutable; protocols are stateless, so one instance of each is shared.
 *
 * <p>Emulator, not a mirror: each protocol found stands for its kernel's mm/swap.c:
 * release_pages() and mm/vmscan.c: shrink_cache() (2.5.31-mm1 for mm1; see {@link LruProtocol#version()}).
 */
public final class ProtocolRegistry {
    /** The protocol of the seed mail's kernel, used when neither a scenario file nor the command line names one. */
    public static final String DEFAULT = "mm1";

    /**
     * A list of jars and directories, separated by the platform's path separator as in
     * {@code java -cp}, and where it came from (for messages), e.g. {@code --classpath}.
     *
     * @param where what set it, e.g. {@code MMEMU_CLASSPATH}
     * @param paths the list; null or blank for none
     */
    public record ClassPath(String where, String paths) {
    }

    private final ImmutableMap<String, LruProtocol> byName;

    private ProtocolRegistry(ImmutableMap<String, LruProtocol> byName) {
        this.byName = byName;
    }

    /**
     * The protocols {@code loader} provides.
     *
     * @throws IllegalStateException when two providers declare the same name
     * @throws java.util.ServiceConfigurationError when a listed provider cannot be loaded
     */
    public static ProtocolRegistry load(ClassLoader loader) {
        Map<String, LruProtocol> m = new LinkedHashMap<>();
        for (LruProtocol p : ServiceLoader.load(LruProtocol.class, loader)) {
            LruProtocol other = m.putIfAbsent(p.name(), p);
            if (other != null && other.getClass() != p.getClass()) {
                throw new IllegalStateException("two protocols are called '" + p.name() + "': "
                        + other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new ProtocolRegistry(ImmutableMap.copyOf(m));
    }

    /** The protocols on the class path that loaded mm-lru: the shipped ones and any others there. */
    public static ProtocolRegistry onClassPath() {
        return OnClassPath.REGISTRY;
    }

    /**
     * The protocols on mmemu's class path and in the jars and directories of {@code lists}
     * (a class loader over them whose parent is mm-lru's); with no entries, {@link #onClassPath()}.
     *
     * @throws IllegalArgumentException with a one-line message for an entry that is missing or
     *                                  is neither a jar nor a directory, a listed protocol that
     *                                  cannot be loaded, or two with one name
     */
    public static ProtocolRegistry withClassPath(List<ClassPath> lists) {
        List<URL> urls = new ArrayList<>();
        for (ClassPath list : lists) {
            if (list.paths() == null || list.paths().isBlank()) {
                continue;
            }
            for (String entry : list.paths().split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    urls.add(url(list.where(), entry));
                }
            }
        }
        if (urls.isEmpty()) {
            return onClassPath();
        }
        // Never closed: the protocols' classes are used until the process ends.
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ProtocolRegistry.class.getClassLoader());
        try {
            return load(loader);
        } catch (ServiceConfigurationError | IllegalStateException ex) {
            throw new IllegalArgumentException("cannot load the protocols of " + urls + ": " + ex.getMessage(), ex);
        }
    }

    /** The URL of one class path entry: an existing directory, or a file that opens as a jar. */
    private static URL url(String where, String entry) {
        Path p = Path.of(entry);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(where + ": no such jar or directory: " + entry);
        }
        if (!Files.isDirectory(p) && !isJar(p)) {
            throw new IllegalArgumentException(where + ": not a jar or directory: " + entry);
        }
        try {
            return p.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException ex) {
            throw new IllegalArgumentException(where + ": not a usable path: " + entry, ex);
        }
    }

    /** Whether {@code p} is a regular file that opens as a jar (a zip archive). */
    private static boolean isJar(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            return jar.size() >= 0; // it opened: a zip archive
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The protocol called {@code name}, e.g. {@code mm1}, if there is one. */
    public Optional<LruProtocol> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The protocol called {@code name}.
     *
     * @throws IllegalArgumentException when there is none, naming the known ones
     */
    public LruProtocol byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown protocol '" + name + "'; known: " + String.join(", ", names())));
    }

    /** Every protocol, in the order found. */
    public List<LruProtocol> all() {
        return byName.values().asList();
    }

    /** The names, in the order found. */
    public List<String> names() {
        return ImmutableList.copyOf(byName.keySet());
    }

    /** Built on first use, once (class initialisation is the lock). */
    private static final class OnClassPath {
        static final ProtocolRegistry REGISTRY = load(ProtocolRegistry.class.getClassLoader());
    }
}
