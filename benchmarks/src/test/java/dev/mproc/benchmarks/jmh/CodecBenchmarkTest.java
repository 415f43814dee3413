package dev.mproc.benchmarks.jmh;

import dev.mproc.core.DefaultCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each codec benchmark, run by hand: it encodes what it claims and decodes back an equal value. */
class CodecBenchmarkTest {
    private static final int CALLS = 3;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRoundTripEveryValueAndDeleteItsNamespace() {
        final CodecBenchmark benchmark = new CodecBenchmark();
        benchmark.setUp();
        final Path directory = benchmark.namespace.directory();
        try {
            assertTrue(Files.isDirectory(directory), directory + " while the benchmark runs");
            assertEncodes(benchmark, benchmark::encodeInteger, CodecBenchmark.INTEGER);
            assertEncodes(benchmark, benchmark::encodeString, CodecBenchmark.STRING);
            assertEncodes(benchmark, benchmark::encodeBytes, CodecBenchmark.BYTES);
            assertEncodes(benchmark, benchmark::encodeList, CodecBenchmark.LIST);
            assertEncodes(benchmark, benchmark::encodeRecord, CodecBenchmark.RECORD);

            assertDecodes(benchmark::decodeInteger, CodecBenchmark.INTEGER);
            assertDecodes(benchmark::decodeString, CodecBenchmark.STRING);
            assertDecodes(benchmark::decodeBytes, CodecBenchmark.BYTES);
            assertDecodes(benchmark::decodeList, CodecBenchmark.LIST);
            assertDecodes(benchmark::decodeRecord, CodecBenchmark.RECORD);
        } finally {
            benchmark.tearDown();
        }
        assertFalse(Files.exists(directory), directory + " after tear-down");
    }

    private static void assertEncodes(final CodecBenchmark benchmark, final IntSupplier encode, final Object value) {
        for (int i = 0; i < CALLS; i++) {
            final int length = encode.getAsInt();
            assertEquals(benchmark.lastEncoding().byteSize(), length, "length returned for " + value);
            assertEqualValue(value, DefaultCodec.instance().decode(benchmark.lastEncoding()));
        }
    }

    private static void assertDecodes(final Supplier<Object> decode, final Object value) {
        for (int i = 0; i < CALLS; i++) {
            assertEqualValue(value, decode.get());
        }
    }

    /** Equal values of the same class; arrays by contents. */
    private static void assertEqualValue(final Object expected, final Object actual) {
        if (expected instanceof byte[] bytes) {
            assertArrayEquals(bytes, assertInstanceOf(byte[].class, actual));
        } else {
            assertEquals(expected, actual);
            if (!(expected instanceof java.util.List)) {
                // A list may come back as another List implementation; everything else keeps its class.
                assertEquals(expected.getClass(), actual.getClass());
            }
        }
    }
}
