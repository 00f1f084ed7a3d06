package org.mmemu.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/FIDELITY.md read as data (issue 23): every row of a table whose header starts
 * {@code | kernel function | versions |} names Java methods that exist (reflection over the
 * class the row names), and kernel functions that occur in the stored kernel text of every
 * version the row gives without a {@code *}, in the file the row names.
 *
 * <p>The second check needs the stored text, which lies beside the checkout in CI
 * ({@code ../shared/reference/kernel} from the repository root); elsewhere (a user's clone) it
 * prints one line saying it skipped.
 */
class FidelityTableTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path TABLE = ROOT.resolve("docs/FIDELITY.md");
    private static final Path KERNEL = ROOT.resolve("../shared/reference/kernel").normalize();

    /** The versions of KernelProfile, oldest first: a range {@code a–b} is every one between. */
    private static final List<String> VERSIONS = List.of("2.5.31", "2.5.31-bk", "2.5.31-mm1", "2.5.32", "2.5.33",
            "2.5.39", "2.6.0", "2.6.6", "2.6.7", "2.6.16");
    /** Versions whose text is stored (2.5.39: mm/vmscan.c only). */
    private static final List<String> STORED = List.of("2.5.31", "2.5.32", "2.5.33", "2.5.39", "2.6.0", "2.6.6", "2.6.7");
    private static final List<String> PACKAGES = List.of("org.mmemu.lru.protocol", "org.mmemu.lru", "org.mmemu.pagevec",
            "org.mmemu.core.page", "org.mmemu.core.list", "org.mmemu.core.sync", "org.mmemu.core.emu", "org.mmemu.core",
            "org.mmemu.reclaim", "org.mmemu.slab", "org.mmemu.scenario.ops");
    private static final String V = "\\d+\\.\\d+\\.\\d+(?:-bk|-mm1)?";
    private static final Pattern VERSION_TOKEN = Pattern.compile("(" + V + ")(\\*?)(?:[–-](" + V + ")(\\*?))?");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row: its kernel functions, versions (with whether starred), file, Java names. */
    record Row(String text, List<String> functions, Map<String, Boolean> versions, String file, List<String> java) {
    }

    static List<Row> rows() throws IOException {
        List<Row> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(TABLE)) {
            if (line.startsWith("| kernel function | versions |")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cols = line.split("\\|", -1);
            assertThat(cols).as("a row of six columns: %s", line).hasSize(8);
            List<String> functions = new ArrayList<>();
            Matcher m = CODE.matcher(cols[1]);
            while (m.find()) {
                if (m.group(1).endsWith("()")) {
                    functions.add(m.group(1).substring(0, m.group(1).length() - 2));
                }
            }
            Map<String, Boolean> versions = new LinkedHashMap<>();
            for (String token : cols[2].split("[,;]")) {
                Matcher v = VERSION_TOKEN.matcher(token.trim());
                if (!v.matches()) {
                    continue; // "seed mail proposal (a)", "i386", "2.5.39's loop bound by version"
                }
                int from = VERSIONS.indexOf(v.group(1));
                int to = v.group(3) == null ? from : VERSIONS.indexOf(v.group(3));
                assertThat(from).as("a known version in %s", line).isNotNegative();
                assertThat(to).as("a known version in %s", line).isGreaterThanOrEqualTo(from);
                boolean starred = !v.group(2).isEmpty() || (v.group(4) != null && !v.group(4).isEmpty());
                for (int i = from; i <= to; i++) {
                    // a range passes over the composed versions (no stored text): inferred there
                    boolean composed = from != to && !STORED.contains(VERSIONS.get(i));
                    versions.put(VERSIONS.get(i), starred || composed);
                }
            }
            List<String> java = new ArrayList<>();
            Matcher j = CODE.matcher(cols[5]);
            while (j.find()) {
                java.add(j.group(1));
            }
            out.add(new Row(line, functions, versions, cols[3].trim(), java));
        }
        return out;
    }

    private static Class<?> resolve(String simpleName) {
        for (String p : PACKAGES) {
            try {
                return Class.forName(p + "." + simpleName);
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        return null;
    }

    @Test
    void everyJavaMethodTheTableNamesExists() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThan(40);
        List<String> missing = new ArrayList<>();
        for (Row r : rows) {
            assertThat(r.java()).as("a row names its Java: %s", r.text()).isNotEmpty();
            for (String name : r.java()) {
                int dot = name.indexOf('.');
                String cls = dot < 0 ? name : name.substring(0, dot);
                Class<?> c = resolve(cls);
                if (c == null) {
                    missing.add(name + " (no class " + cls + ")");
                    continue;
                }
                if (dot < 0) {
                    continue;
                }
                String method = name.substring(dot + 1);
                boolean found = false;
                for (Class<?> k = c; k != null && !found; k = k.getSuperclass()) {
                    found = Arrays.stream(k.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals);
                }
                if (!found) {
                    missing.add(name);
                }
            }
        }
        assertThat(missing).as("Java methods docs/FIDELITY.md names that do not exist").isEmpty();
    }

    @Test
    void everyKernelFunctionOccursInTheStoredTextOfItsVersions() throws IOException {
        if (!Files.isDirectory(KERNEL)) {
            System.out.println("FidelityTableTest: no stored kernel text beside the checkout; kernel-text check skipped");
            return;
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Row r : rows()) {
            for (Map.Entry<String, Boolean> v : r.versions().entrySet()) {
                if (v.getValue()) {
                    continue; // starred: not in the stored text, declared as inferred
                }
                if (!STORED.contains(v.getKey())) {
                    wrong.add(v.getKey() + " is not stored and not starred: " + r.text());
                    continue;
                }
                Path file = KERNEL.resolve(v.getKey()).resolve(r.file().replace('/', '_'));
                if (!Files.exists(file)) {
                    if (v.getKey().equals("2.5.39")) {
                        continue; // only mm/vmscan.c is stored for 2.5.39: inferred in a range (the table says so)
                    }
                    wrong.add(v.getKey() + " has no stored " + r.file() + ": " + r.text());
                    continue;
                }
                String text = Files.readString(file);
                for (String f : r.functions()) {
                    checked++;
                    if (!Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(f) + "(?![A-Za-z0-9_])").matcher(text).find()) {
                        wrong.add(f + " not in " + v.getKey() + "/" + r.file());
                    }
                }
            }
        }
        System.out.println("FidelityTableTest: " + checked + " (function, version) pairs found in the stored kernel text");
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(50);
    }
}
