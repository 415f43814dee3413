package dev.mproc.benchmarks.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.Workload;
import dev.mproc.benchmarks.Workloads;
import dev.mproc.core.Namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Chronicle Queue transport's own checks. What needs Chronicle running happens in a child JVM
 * with the transport's options ({@link ChronicleRoundTripCheck}), since this JVM lacks them; the
 * workloads themselves run in {@link ChronicleWorkloadsTest}.
 */
class ChronicleTransportTest {
    private final ChronicleTransport transport = new ChronicleTransport();
    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldRegisterItsThreeWorkloadsAsTheChroniclePeerWithItsOptions() {
        assertEquals("chronicle", transport.id());
        assertEquals(PeerRef.CHRONICLE, transport.peerSource());
        final List<String> options = transport.jvmOptions();
        assertTrue(options.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), options.toString());
        assertTrue(options.contains("-Dchronicle.analytics.disable=true"), options.toString());
        assertEquals("true", System.getProperty("chronicle.analytics.disable"), "set in code too");
        for (final String name : List.of("size-sweep-chronicle", "latency-under-load-chronicle", "burst-chronicle")) {
            final Workload workload = Workloads.byName(name);
            assertEquals(PeerRef.CHRONICLE, workload.peerSource(), name);
            assertEquals(options, workload.jvmOptions(), name);
        }
    }

    @Test
    void shouldRefuseAChannelForMessagesLargerThanAQuarterOfChroniclesBlock() throws IOException {
        final int tooLarge = ChronicleTransport.MAX_MESSAGE_BYTES + 1;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ChronicleTransport.sender(namespace.directory(), "big", tooLarge));
        assertTrue(e.getMessage().contains("maxMessageBytes=" + tooLarge), e.getMessage());
        assertEquals(List.of(), entries(namespace.directory()), "nothing created");
        assertEquals(16 << 20, ChronicleTransport.MAX_MESSAGE_BYTES);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRoundTripEveryLengthExactlyInAJvmWithTheTransportsOptionsAndPrintNothingOnStderr() throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(transport.jvmOptions());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            ChronicleRoundTripCheck.class.getName(), namespace.directory().toString()));
        final Path out = Files.createTempFile("chronicle-check-", ".out");
        final Path err = Files.createTempFile("chronicle-check-", ".err");
        try {
            final Process check = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
            if (!check.waitFor(50, TimeUnit.SECONDS)) {
                check.destroyForcibly().waitFor();
                throw new AssertionError("the check did not finish in 50 s: " + Files.readString(err));
            }
            final String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, check.exitValue(), stderr);
            assertEquals("ok " + (ChronicleRoundTripCheck.LENGTHS.length + 1),
                Files.readString(out, StandardCharsets.UTF_8).strip());
            // No warning from the JDK about access or Unsafe, none from Chronicle or SLF4J.
            assertEquals("", stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        assertEquals(List.of("chronicle-" + ChronicleRoundTripCheck.CHANNEL), entries(namespace.directory()));
    }

    private static List<String> entries(final Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
