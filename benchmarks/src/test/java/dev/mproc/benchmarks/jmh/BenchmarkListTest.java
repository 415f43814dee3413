package dev.mproc.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark list JMH's annotation processor writes at compile time: without it (a processor
 * that did not run, as on JDK 23+ without {@code proc full}) {@code org.openjdk.jmh.Main} finds no
 * benchmarks and the jmh profile measures nothing, yet the build would pass.
 */
class BenchmarkListTest {

    @Test
    void shouldListEveryBenchmarkMethodOfTheThreeClasses() throws IOException {
        final List<BenchmarkListEntry> entries = readTheOnlyBenchmarkList();

        for (final Class<?> benchmark : List.of(CodecBenchmark.class, LockBenchmark.class, RingBenchmark.class)) {
            final Set<String> listed = new TreeSet<>();
            for (final BenchmarkListEntry entry : entries) {
                if (entry.getUserClassQName().equals(benchmark.getName())) {
                    listed.add(entry.getUsername());
                }
            }
            assertEquals(benchmarkMethods(benchmark), listed, "benchmarks of " + benchmark.getName());
        }
    }

    @Test
    void shouldGiveEveryForkNativeAccessAndOnlyAgronasTheExport() throws IOException {
        for (final BenchmarkListEntry entry : readTheOnlyBenchmarkList()) {
            final Collection<String> append = entry.getJvmArgsAppend().orElse(List.of());
            assertTrue(append.contains(RingBenchmark.NATIVE_ACCESS), entry.getUsername() + ": " + append);
            assertEquals(entry.getUsername().contains(".agrona"), append.contains(RingBenchmark.AGRONA_EXPORTS),
                entry.getUsername() + ": " + append);
        }
    }

    /**
     * Exactly one list: a second one (say, an empty list written by processing the test sources)
     * could come first on the class path and hide the real one from JMH.
     */
    private static List<BenchmarkListEntry> readTheOnlyBenchmarkList() throws IOException {
        final List<URL> lists = Collections.list(
            BenchmarkListTest.class.getClassLoader().getResources(BenchmarkList.BENCHMARK_LIST.substring(1)));
        assertEquals(1, lists.size(), "BenchmarkList resources on the class path: " + lists);
        try (InputStream in = lists.get(0).openStream()) {
            final List<BenchmarkListEntry> entries = BenchmarkList.readBenchmarkList(in);
            assertFalse(entries.isEmpty(), lists.get(0) + " lists no benchmark");
            return entries;
        }
    }

    private static Set<String> benchmarkMethods(final Class<?> benchmark) {
        final List<String> names = new ArrayList<>();
        for (final Method method : benchmark.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Benchmark.class)) {
                names.add(benchmark.getName() + "." + method.getName());
            }
        }
        assertFalse(names.isEmpty(), benchmark.getName() + " declares no @Benchmark method");
        return new TreeSet<>(names);
    }
}
