package dev.mproc.tests.ipc;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedInt;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link QueueManyToManyAcrossJvmsTest}: one producer or one consumer of a
 * queue shared by several JVMs. Message {@code p * count + s} is producer {@code p}'s
 * {@code s}-th message, so a consumer can tell who sent it and in which order.
 * <ul>
 *   <li>{@code QueueTrafficChild produce <queueFile> <goFile> <producer> <count>}: prints
 *   {@code READY}, waits until the shared int at {@code goFile} is non-zero, puts its
 *   {@code count} messages in order, prints {@code DONE <count> <millis>} and exits 0.</li>
 *   <li>{@code QueueTrafficChild consume <queueFile> <receiptsFile> <count>}: prints
 *   {@code READY}, then takes messages until it takes {@link #STOP}; for each it adds one to the
 *   message's receipt counter (duplicates: the counter was not 0 before) and checks that it comes
 *   after the last message it took from the same producer (order violations). Prints
 *   {@code DONE <received> <orderViolations> <duplicates> <first problem or ->} and exits 0.</li>
 * </ul>
 */
public final class QueueTrafficChild {
    /** The value that tells one consumer to stop. */
    public static final int STOP = -1;

    private QueueTrafficChild() {
    }

    /**
     * @param args role, then the role's arguments (see the class comment)
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        switch (args[0]) {
            case "produce" -> produce(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "consume" -> consume(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> ChildMain.failAndExit("unknown role " + args[0]);
        }
    }

    private static void produce(final Path queueFile, final Path goFile, final int producer, final int count)
        throws InterruptedException {
        try (Queue<Integer> queue = Queue.attach(queueFile);
             SharedInt go = SharedInt.attach(goFile)) {
            ChildMain.say("READY");
            ChildMain.pollUntil("the start flag", () -> go.get() != 0);
            final long start = System.nanoTime();
            final int first = producer * count;
            for (int sequence = 0; sequence < count; sequence++) {
                queue.put(first + sequence);
            }
            ChildMain.say("DONE " + count + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private static void consume(final Path queueFile, final Path receiptsFile, final int count) throws InterruptedException {
        try (Queue<Integer> queue = Queue.attach(queueFile);
             SharedIntArray receipts = SharedIntArray.attach(receiptsFile)) {
            final int producers = receipts.length() / count;
            final int[] lastSequence = new int[producers];
            Arrays.fill(lastSequence, -1);
            long received = 0;
            long orderViolations = 0;
            long duplicates = 0;
            String firstProblem = "-";
            ChildMain.say("READY");
            while (true) {
                final Integer value = queue.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                if (value == null) {
                    ChildMain.failAndExit("no message within " + ChildMain.PATIENCE.toSeconds() + " s after " + received);
                }
                if (value == STOP) {
                    break;
                }
                if (value < 0 || value >= receipts.length()) {
                    ChildMain.failAndExit("message out of range: value=" + value + " messages=" + receipts.length());
                }
                received++;
                final int producer = value / count;
                final int sequence = value % count;
                if (sequence <= lastSequence[producer]) {
                    orderViolations++;
                    if (firstProblem.equals("-")) {
                        firstProblem = "producer" + producer + ":" + sequence + "-after-" + lastSequence[producer];
                    }
                }
                lastSequence[producer] = sequence;
                if (receipts.incrementAndGet(value) != 1) {
                    duplicates++;
                    if (firstProblem.equals("-")) {
                        firstProblem = "duplicate:" + value;
                    }
                }
            }
            ChildMain.say("DONE " + received + " " + orderViolations + " " + duplicates + " " + firstProblem);
        }
    }
}
