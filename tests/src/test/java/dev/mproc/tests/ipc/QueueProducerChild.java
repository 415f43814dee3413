package dev.mproc.tests.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link QueueProducerDeathAcrossJvmsTest}: a producer that dies half-way
 * through a message, or one that puts after it.
 * <ul>
 *   <li>{@code QueueProducerChild stall <queueFile> <messages> <hugeBytes>}: puts the strings
 *   {@code m0, m1 ...} (each put returns: committed), prints {@code COMMITTED <messages>}, prints
 *   {@code HUGE_PUT_STARTED} and puts a {@code byte[]} of {@code hugeBytes}, far more than the
 *   ring holds. Nobody takes anything meanwhile, so that put stalls half-way through its fragments
 *   until the parent kills this JVM; if it ever returns, the child prints {@code FAILED}.</li>
 *   <li>{@code QueueProducerChild put <queueFile> <value>}: prints {@code READY}, waits for the
 *   command {@code PUT}, puts the string {@code value}, prints {@code PUT_DONE <millis the put
 *   took>} and exits 0.</li>
 * </ul>
 */
public final class QueueProducerChild {
    private QueueProducerChild() {
    }

    /**
     * @param args role, then the role's arguments (see the class comment)
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Queue<Object> queue = Queue.attach(Path.of(args[1]))) {
            switch (args[0]) {
                case "stall" -> stall(queue, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "put" -> putOnCommand(queue, args[2]);
                case "putbytes" -> putBytesOnCommand(queue, Integer.parseInt(args[2]));
                default -> ChildMain.failAndExit("unknown role " + args[0]);
            }
        }
    }

    private static void stall(final Queue<Object> queue, final int messages, final int hugeBytes) throws InterruptedException {
        for (int i = 0; i < messages; i++) {
            queue.put("m" + i);
        }
        ChildMain.say("COMMITTED " + messages);
        final byte[] huge = new byte[hugeBytes];
        ChildMain.say("HUGE_PUT_STARTED");
        queue.put(huge);
        ChildMain.failAndExit("the put of " + hugeBytes + " bytes returned although nobody took anything");
    }

    private static void putOnCommand(final Queue<Object> queue, final String value) throws InterruptedException {
        ChildMain.say("READY");
        ChildMain.expectCommand("PUT");
        final long start = System.nanoTime();
        queue.put(value);
        ChildMain.say("PUT_DONE " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Puts a zeroed array of that many bytes when told to: sized to make a record wrap. */
    private static void putBytesOnCommand(final Queue<Object> queue, final int length) throws InterruptedException {
        ChildMain.say("READY");
        ChildMain.expectCommand("PUT");
        queue.put(new byte[length]);
        ChildMain.say("PUT_DONE");
    }
}
