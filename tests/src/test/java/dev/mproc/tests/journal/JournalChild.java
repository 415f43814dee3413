package dev.mproc.tests.journal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.mproc.journal.DurableConsumer;
import dev.mproc.journal.DurableQueue;
import dev.mproc.tests.ChildMain;

/**
 * The journal's child JVM, one mode per run (the first argument); the journal directory is the
 * second. Values are strings {@code "<appender>:<seq>|<padding>"}.
 * <ul>
 *   <li>{@code append dir appender count padding report}: appends {@code count} values, printing
 *   {@code APPENDED seq} after each returned append if {@code report} is {@code each}; then
 *   {@code DONE}.</li>
 *   <li>{@code consume dir name appenders perAppender}: takes with a consumer until it has
 *   {@code appenders * perAppender} values, committing every 1000, checking each appender's
 *   sequence; prints {@code RESULT count=.. duplicates=.. outOfOrder=.. foreign=..}.</li>
 *   <li>{@code readall dir name}: a fresh consumer takes everything there is (one appender,
 *   appender 0), printing {@code RESULT count=.. contiguous=.. last=..}.</li>
 *   <li>{@code hold dir name}: takes one value, prints {@code TOOK value}; on {@code COMMIT}
 *   commits and prints {@code COMMITTED}; then waits for end of stdin (or SIGKILL).</li>
 *   <li>{@code share dir name}: opens the consumer, prints {@code READY}, waits for {@code GO},
 *   then takes and commits one value at a time until none comes for 300 ms; prints
 *   {@code RESULT seq,seq,...} (appender 0's sequence numbers, in the order taken).</li>
 *   <li>{@code open dir}: opens the journal and prints {@code OPENED}, or prints
 *   {@code REFUSED <exception>} if opening throws.</li>
 * </ul>
 */
public final class JournalChild {
    private JournalChild() {
    }

    /**
     * @param args mode, directory, mode arguments
     * @throws Exception on failure, which the parent sees as the child's output
     */
    public static void main(final String[] args) throws Exception {
        ChildMain.start();
        final Path directory = Path.of(args[1]);
        switch (args[0]) {
            case "append" -> append(directory, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args[5].equals("each"));
            case "consume" -> consume(directory, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "readall" -> readAll(directory, args[2]);
            case "hold" -> hold(directory, args[2]);
            case "share" -> share(directory, args[2]);
            case "open" -> open(directory);
            default -> ChildMain.failAndExit("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    static String value(final int appender, final int seq, final String padding) {
        return appender + ":" + seq + "|" + padding;
    }

    private static void append(final Path directory, final int appender, final int count, final int padding,
                               final boolean reportEach) {
        final String pad = "x".repeat(padding);
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            ChildMain.say("READY");
            for (int seq = 0; seq < count; seq++) {
                queue.append(value(appender, seq, pad));
                if (reportEach) {
                    ChildMain.say("APPENDED " + seq);
                }
            }
        }
        ChildMain.say("DONE");
    }

    private static void consume(final Path directory, final String name, final int appenders, final int perAppender)
        throws InterruptedException {
        final int[] next = new int[appenders];
        final long expected = (long) appenders * perAppender;
        long count = 0;
        long outOfOrder = 0;
        long foreign = 0;
        long duplicates = 0;
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = queue.consumer(name)) {
            ChildMain.say("READY");
            final long deadline = System.nanoTime() + ChildMain.PATIENCE.toNanos();
            while (count < expected) {
                final Object value = consumer.poll(100, TimeUnit.MILLISECONDS);
                if (value == null) {
                    if (System.nanoTime() - deadline > 0) {
                        ChildMain.failAndExit("only " + count + " of " + expected + " values after "
                            + ChildMain.PATIENCE.toSeconds() + " s; next per appender " + Arrays.toString(next));
                    }
                    continue;
                }
                count++;
                final String text = (String) value;
                final int colon = text.indexOf(':');
                final int bar = text.indexOf('|');
                final int appender = Integer.parseInt(text, 0, colon, 10);
                final int seq = Integer.parseInt(text, colon + 1, bar, 10);
                if (appender < 0 || appender >= appenders) {
                    foreign++;
                } else if (seq < next[appender]) {
                    duplicates++;
                } else if (seq > next[appender]) {
                    outOfOrder++;
                    next[appender] = seq + 1;
                } else {
                    next[appender]++;
                }
                if (count % 1000 == 0) {
                    consumer.commit();
                }
            }
            consumer.commit();
            ChildMain.say("RESULT count=" + count + " duplicates=" + duplicates + " outOfOrder=" + outOfOrder
                + " foreign=" + foreign + " extra=" + (consumer.poll() == null ? 0 : 1));
        }
    }

    private static void readAll(final Path directory, final String name) {
        long count = 0;
        boolean contiguous = true;
        int last = -1;
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = queue.consumer(name)) {
            Object value;
            while ((value = consumer.poll()) != null) {
                final String text = (String) value;
                final int seq = Integer.parseInt(text, text.indexOf(':') + 1, text.indexOf('|'), 10);
                if (seq != last + 1) {
                    contiguous = false;
                }
                last = seq;
                if (++count % 1000 == 0) {
                    consumer.commit();
                }
            }
            consumer.commit();
            ChildMain.say("RESULT count=" + count + " contiguous=" + contiguous + " last=" + last
                + " stored=" + queue.info().count());
        }
    }

    private static void hold(final Path directory, final String name) throws InterruptedException {
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = queue.consumer(name)) {
            final Object value = consumer.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            ChildMain.say("TOOK " + value);
            ChildMain.expectCommand("COMMIT");
            consumer.commit();
            ChildMain.say("COMMITTED");
            ChildMain.nextCommand();
        }
    }

    private static void share(final Path directory, final String name) throws InterruptedException {
        final StringBuilder taken = new StringBuilder();
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = queue.consumer(name)) {
            ChildMain.say("READY");
            ChildMain.expectCommand("GO");
            Object value;
            while ((value = consumer.poll(300, TimeUnit.MILLISECONDS)) != null) {
                consumer.commit();
                final String text = (String) value;
                taken.append(taken.isEmpty() ? "" : ",").append(text, text.indexOf(':') + 1, text.indexOf('|'));
            }
        }
        ChildMain.say("RESULT " + taken);
    }

    private static void open(final Path directory) {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            ChildMain.say("OPENED " + queue.info().count());
        } catch (final RuntimeException | Error e) {
            ChildMain.say("REFUSED " + e);
        }
    }
}
