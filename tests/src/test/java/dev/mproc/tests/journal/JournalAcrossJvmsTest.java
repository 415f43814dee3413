package dev.mproc.tests.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mproc.core.Namespace;
import dev.mproc.journal.JournalJvmOptions;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal ({@code dev.mproc.journal.DurableQueue}) between real JVMs ({@link JournalChild}):
 * appends that returned survive SIGKILL of the appender and are read back once, in order, with no
 * torn tail; a consumer killed between take and commit gets the message again after a restart
 * and never after a commit; three appenders and two consumers of different names; and a JVM without
 * Chronicle's options gets a clear exception.
 * <p>
 * This JVM never touches Chronicle (so the tests module needs none of its options): the children
 * do everything, started with {@link JournalJvmOptions#REQUIRED}, and report what they saw.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class JournalAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(30);
    private static final Pattern APPENDED = Pattern.compile("^APPENDED (\\d+)$", Pattern.MULTILINE);

    private Namespace namespace;
    private Path directory;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
        directory = namespace.directory().resolve("journal");
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    private static ChildJvm start(final String... args) {
        return ChildJvm.start(JournalChild.class, JournalJvmOptions.REQUIRED, Map.of(), args);
    }

    @Test
    void shouldReadBackEveryReturnedAppendOfAKilledAppenderOnceAndInOrder() {
        // A random point: after a random number of returned appends of ~2 KB values, so that the
        // kill often lands inside a write.
        final int killAfter = ThreadLocalRandom.current().nextInt(100, 3000);
        final int lastReported;
        try (ChildJvm appender = start("append", directory.toString(), "0", "1000000", "2000", "each")) {
            appender.awaitLine("READY", STARTUP);
            while (Integer.parseInt(appender.awaitLine("APPENDED", PROMPT)) < killAfter) {
                // Reading on: each line is one more append that returned.
            }
            appender.kill();
            assertEquals(128 + 9, appender.waitFor(PROMPT), appender.describe("was not ended by SIGKILL"));
            lastReported = lastAppended(appender.output());
            assertTrue(lastReported >= killAfter, appender.describe("reported up to " + lastReported));
        }
        try (ChildJvm reader = start("readall", directory.toString(), "fresh")) {
            final String result = reader.awaitLine("RESULT", PROMPT);
            final long count = field(result, "count");
            final long last = field(result, "last");
            assertTrue(result.contains("contiguous=true"), reader.describe("values out of order, missing or repeated"));
            assertTrue(last >= lastReported, reader.describe("lost appends that returned: last read " + last
                + ", last reported returned " + lastReported));
            assertEquals(last + 1, count, reader.describe("count"));
            assertEquals(count, field(result, "stored"), reader.describe("the journal counts something that is not a message"));
            assertEquals(0, reader.waitFor(PROMPT), reader.describe("failed"));
        }
    }

    @Test
    void shouldRedeliverAMessageTakenByAKilledConsumerOnlyUntilItIsCommitted() {
        try (ChildJvm appender = start("append", directory.toString(), "0", "3", "0", "none")) {
            appender.awaitLine("DONE", STARTUP);
            assertEquals(0, appender.waitFor(PROMPT), appender.describe("failed"));
        }
        try (ChildJvm first = start("hold", directory.toString(), "worker")) {
            assertEquals("0:0|", first.awaitLine("TOOK", STARTUP), first.describe("took"));
            first.kill();
            assertEquals(128 + 9, first.waitFor(PROMPT), first.describe("was not ended by SIGKILL"));
        }
        try (ChildJvm second = start("hold", directory.toString(), "worker")) {
            assertEquals("0:0|", second.awaitLine("TOOK", STARTUP),
                second.describe("should get the message its killed predecessor took and did not commit"));
            second.send("COMMIT");
            second.awaitLine("COMMITTED", PROMPT);
            second.kill();
            assertEquals(128 + 9, second.waitFor(PROMPT), second.describe("was not ended by SIGKILL"));
        }
        try (ChildJvm third = start("hold", directory.toString(), "worker")) {
            assertEquals("0:1|", third.awaitLine("TOOK", STARTUP), third.describe("should never see the committed message again"));
        }
    }

    @Test
    void shouldDeliverEveryMessageOfThreeAppendersToTwoConsumersInPerAppenderOrder() {
        final int perAppender = 50_000;
        final List<ChildJvm> children = new ArrayList<>();
        try {
            final ChildJvm alpha = start("consume", directory.toString(), "alpha", "3", Integer.toString(perAppender));
            final ChildJvm beta = start("consume", directory.toString(), "beta", "3", Integer.toString(perAppender));
            children.add(alpha);
            children.add(beta);
            for (int a = 0; a < 3; a++) {
                children.add(start("append", directory.toString(), Integer.toString(a), Integer.toString(perAppender), "8", "none"));
            }
            for (final ChildJvm appender : children.subList(2, 5)) {
                appender.awaitLine("DONE", PROMPT);
                assertEquals(0, appender.waitFor(PROMPT), appender.describe("failed"));
            }
            for (final ChildJvm consumer : List.of(alpha, beta)) {
                final String result = consumer.awaitLine("RESULT", PROMPT);
                assertEquals("count=150000 duplicates=0 outOfOrder=0 foreign=0 extra=0", result, consumer.describe("result"));
                assertEquals(0, consumer.waitFor(PROMPT), consumer.describe("failed"));
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
    }

    @Test
    void shouldShareOneConsumerNameBetweenTwoJvmsDeliveringEachCommittedMessageOnce() {
        final int messages = 5_000;
        try (ChildJvm appender = start("append", directory.toString(), "0", Integer.toString(messages), "0", "none")) {
            appender.awaitLine("DONE", STARTUP);
            assertEquals(0, appender.waitFor(PROMPT), appender.describe("failed"));
        }
        try (ChildJvm one = start("share", directory.toString(), "shared");
             ChildJvm two = start("share", directory.toString(), "shared")) {
            one.awaitLine("READY", STARTUP);
            two.awaitLine("READY", STARTUP);
            one.send("GO");
            two.send("GO");
            final List<Integer> first = numbers(one.awaitLine("RESULT", PROMPT));
            final List<Integer> second = numbers(two.awaitLine("RESULT", PROMPT));
            final java.util.BitSet seen = new java.util.BitSet(messages);
            for (final List<Integer> taken : List.of(first, second)) {
                int previous = -1;
                for (final int seq : taken) {
                    assertTrue(!seen.get(seq), "message " + seq + " delivered twice; first took " + first.size()
                        + ", second took " + second.size());
                    assertTrue(seq > previous, "one handle took " + seq + " after " + previous);
                    seen.set(seq);
                    previous = seq;
                }
            }
            assertEquals(messages, seen.cardinality(), "messages delivered to either; first took " + first.size()
                + ", second took " + second.size());
            assertEquals(0, one.waitFor(PROMPT), one.describe("failed"));
            assertEquals(0, two.waitFor(PROMPT), two.describe("failed"));
        }
    }

    private static List<Integer> numbers(final String csv) {
        final List<Integer> numbers = new ArrayList<>();
        if (!csv.isEmpty()) {
            for (final String number : csv.split(",")) {
                numbers.add(Integer.parseInt(number));
            }
        }
        return numbers;
    }

    @Test
    void shouldRefuseToOpenInAJvmWithoutChroniclesOptionsNamingThem() {
        try (ChildJvm child = ChildJvm.start(JournalChild.class, "open", directory.toString())) {
            final String refusal = child.awaitLine("REFUSED", STARTUP);
            assertTrue(refusal.startsWith("java.lang.IllegalStateException"), child.describe("refusal"));
            for (final String option : List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED")) {
                assertTrue(refusal.contains("missing") && refusal.contains(option), child.describe("should name " + option));
            }
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
        }
    }

    private static int lastAppended(final String output) {
        final Matcher matcher = APPENDED.matcher(output);
        int last = -1;
        while (matcher.find()) {
            last = Math.max(last, Integer.parseInt(matcher.group(1)));
        }
        return last;
    }

    private static long field(final String result, final String name) {
        final Matcher matcher = Pattern.compile("\\b" + name + "=(-?\\d+)").matcher(result);
        if (!matcher.find()) {
            throw new AssertionError("no " + name + " in " + result);
        }
        return Long.parseLong(matcher.group(1));
    }
}
