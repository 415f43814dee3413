package dev.mproc.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.core.ProcessIdentity;
import dev.mproc.core.RegionHeaderLayout;
import dev.mproc.core.RegionKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Region files that are not what they should be, written by this JVM and attached by another: the
 * attaching JVM must get the specific {@code RegionException} naming the file and the fault within
 * a bounded time, and go on to exit normally; never a crash, a hang or a silent attach.
 * <p>
 * The files are written byte by byte with a {@link FileChannel} following
 * {@link RegionHeaderLayout}, as a foreign or half-written file would be, not through core's
 * {@code create}. One child probes them all, so the whole test costs one JVM start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class BadRegionFilesAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final long ATTACH_TIMEOUT_MILLIS = 500;
    /** Generous: other builds share the two cores. */
    private static final long SLACK_MILLIS = 3_000;
    private static final int BODY = 64;

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
    void shouldRefuseEachBadFileWithItsOwnExceptionInAnotherJvm() throws IOException {
        final ProcessIdentity me = ProcessIdentity.current();
        final Header valid = Header.ready(TestRegions.KIND, BODY, me);
        final Map<String, String> expected = new LinkedHashMap<>();

        write("unready", valid.withState(RegionHeaderLayout.STATE_INITIALISING), BODY);
        expected.put("unready", "RegionNotReadyException");
        write("unready-dead-creator", valid.withState(RegionHeaderLayout.STATE_INITIALISING)
            .withCreator(new ProcessIdentity(me.pid(), me.startTime() + 1)), BODY);
        expected.put("unready-dead-creator", "RegionNotReadyException");
        write("closed", valid.withState(RegionHeaderLayout.STATE_CLOSED), BODY);
        expected.put("closed", "RegionClosedException");
        write("bad-magic", valid.withMagic(0x4F5250544F4E4E4FL), BODY);
        expected.put("bad-magic", "BadMagicException");
        writeRandom("garbage", RegionHeaderLayout.HEADER_LENGTH + BODY);
        expected.put("garbage", "BadMagicException");
        writeTruncated("short-header", valid, 100);
        expected.put("short-header", "TruncatedRegionException");
        write("short-body", valid.withDeclaredLength(RegionHeaderLayout.HEADER_LENGTH + 4096), BODY);
        expected.put("short-body", "TruncatedRegionException");
        write("long-file", valid, BODY + 64);
        expected.put("long-file", "RegionFormatException");
        write("newer-format", valid.withFormatVersion(RegionHeaderLayout.FORMAT_VERSION + 1), BODY);
        expected.put("newer-format", "UnsupportedFormatVersionException");
        write("newer-layout", valid.withLayoutVersion(TestRegions.VERSION + 1), BODY);
        expected.put("newer-layout", "UnsupportedFormatVersionException");
        write("wrong-kind", valid.withKind(RegionKind.of("OTHR")), BODY);
        expected.put("wrong-kind", "KindMismatchException");
        expected.put("missing", "RegionNotFoundException");
        // The control: a file that is just as it should be attaches.
        write("hand-made-good", valid, BODY);
        expected.put("hand-made-good", null);

        final List<String> args = new ArrayList<>();
        args.add(namespace.directory().toString());
        args.addAll(expected.keySet());
        try (ChildJvm child = ChildJvm.start(AttachProbeChild.class,
            Map.of("mproc.attachTimeoutMillis", Long.toString(ATTACH_TIMEOUT_MILLIS)), args.toArray(String[]::new))) {
            final Map<String, String[]> outcomes = new LinkedHashMap<>();
            for (final String name : expected.keySet()) {
                // ATTACHED, REFUSED and UNEXPECTED all carry the name second; prefix "" takes any line.
                final String[] words = child.awaitLine("", STARTUP).split(" ", 5);
                assertEquals(name, words.length > 1 ? words[1] : "", child.describe("reported out of order"));
                outcomes.put(name, words);
            }
            child.awaitLine("FINISHED", STARTUP);
            assertEquals(0, child.waitFor(STARTUP), child.describe("did not exit normally"));

            assertAll(expected.entrySet().stream().map(e -> () -> {
                final String[] words = outcomes.get(e.getKey());
                if (e.getValue() == null) {
                    assertEquals("ATTACHED", words[0], child.describe(e.getKey() + " should attach"));
                    return;
                }
                assertEquals("REFUSED " + e.getKey() + " " + e.getValue(), words[0] + " " + words[1] + " " + words[2],
                    child.describe(e.getKey() + ": wrong outcome"));
                assertTrue(words[4].contains(namespace.pathOf(e.getKey()).toString()),
                    child.describe(e.getKey() + ": the message does not name the file"));
            }));

            final String[] unready = outcomes.get("unready");
            final long waited = Long.parseLong(unready[3]);
            assertTrue(waited >= ATTACH_TIMEOUT_MILLIS && waited <= ATTACH_TIMEOUT_MILLIS + SLACK_MILLIS,
                child.describe("waited " + waited + " ms for an unready file; the bound is " + ATTACH_TIMEOUT_MILLIS + " ms"));
            assertTrue(unready[4].contains("is alive"), child.describe("should say the creator is alive"));
            assertTrue(outcomes.get("unready-dead-creator")[4].contains("is dead"), child.describe("should say the creator is dead"));
        }
    }

    private void write(final String name, final Header header, final long bodyLength) throws IOException {
        final ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(RegionHeaderLayout.HEADER_LENGTH + bodyLength));
        header.writeTo(bytes);
        writeFile(name, bytes);
    }

    private void writeTruncated(final String name, final Header header, final int length) throws IOException {
        final ByteBuffer bytes = ByteBuffer.allocate(RegionHeaderLayout.HEADER_LENGTH);
        header.writeTo(bytes);
        writeFile(name, bytes.limit(length));
    }

    private void writeRandom(final String name, final int length) throws IOException {
        final byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        writeFile(name, ByteBuffer.wrap(bytes));
    }

    private void writeFile(final String name, final ByteBuffer bytes) throws IOException {
        final Path file = namespace.pathOf(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** A region header's fields, written at the offsets of {@link RegionHeaderLayout}. */
    private record Header(long magic, int formatVersion, RegionKind kind, long declaredLength, ProcessIdentity creator,
                          int state, int headerLength, int layoutVersion) {

        static Header ready(final RegionKind kind, final long bodyLength, final ProcessIdentity creator) {
            return new Header(RegionHeaderLayout.MAGIC, RegionHeaderLayout.FORMAT_VERSION, kind,
                RegionHeaderLayout.HEADER_LENGTH + bodyLength, creator, RegionHeaderLayout.STATE_READY,
                RegionHeaderLayout.HEADER_LENGTH, TestRegions.VERSION);
        }

        Header withMagic(final long value) {
            return new Header(value, formatVersion, kind, declaredLength, creator, state, headerLength, layoutVersion);
        }

        Header withFormatVersion(final int value) {
            return new Header(magic, value, kind, declaredLength, creator, state, headerLength, layoutVersion);
        }

        Header withKind(final RegionKind value) {
            return new Header(magic, formatVersion, value, declaredLength, creator, state, headerLength, layoutVersion);
        }

        Header withDeclaredLength(final long value) {
            return new Header(magic, formatVersion, kind, value, creator, state, headerLength, layoutVersion);
        }

        Header withCreator(final ProcessIdentity value) {
            return new Header(magic, formatVersion, kind, declaredLength, value, state, headerLength, layoutVersion);
        }

        Header withState(final int value) {
            return new Header(magic, formatVersion, kind, declaredLength, creator, value, headerLength, layoutVersion);
        }

        Header withLayoutVersion(final int value) {
            return new Header(magic, formatVersion, kind, declaredLength, creator, state, headerLength, value);
        }

        void writeTo(final ByteBuffer buffer) {
            // Native order, as the layout says: regions never leave the machine.
            final ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
            b.putLong(RegionHeaderLayout.MAGIC_OFFSET, magic);
            b.putInt(RegionHeaderLayout.FORMAT_VERSION_OFFSET, formatVersion);
            b.putInt(RegionHeaderLayout.KIND_OFFSET, kind.code());
            b.putLong(RegionHeaderLayout.TOTAL_LENGTH_OFFSET, declaredLength);
            b.putLong(RegionHeaderLayout.CREATOR_PID_OFFSET, creator.pid());
            b.putLong(RegionHeaderLayout.CREATOR_START_TIME_OFFSET, creator.startTime());
            b.putInt(RegionHeaderLayout.STATE_OFFSET, state);
            b.putInt(RegionHeaderLayout.HEADER_LENGTH_OFFSET, headerLength);
            b.putInt(RegionHeaderLayout.LAYOUT_VERSION_OFFSET, layoutVersion);
        }
    }
}
