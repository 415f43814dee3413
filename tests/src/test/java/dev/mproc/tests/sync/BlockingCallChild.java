package dev.mproc.tests.sync;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link InterruptAcrossJvmsTest} and {@link TimedCallsAcrossJvmsTest}: performs
 * one blocking {@link Call} on the parent's {@link SyncObjects}, while the parent holds whatever
 * makes it block.
 * <ul>
 *   <li>{@code BlockingCallChild <dir> interrupt <call>}: a thread prints {@code BLOCKING} and makes
 *   the call (timed forms with a timeout of minutes). On the command {@code INTERRUPT} the main
 *   thread interrupts it; the thread prints {@code ENDED <nanos from interrupt() to the end of the
 *   call> <interrupt status afterwards> <outcome>}. Then, on {@code CHECK}, a new thread prints
 *   {@code CHECKING}, makes the same call again and prints {@code USABLE <outcome>}: the parent
 *   lets that one succeed.</li>
 *   <li>{@code BlockingCallChild <dir> timed <call> <millis>}: prints {@code READY}; on {@code GO}
 *   makes the call with that timeout and prints {@code ENDED <elapsed nanos> <interrupt status>
 *   <outcome>}.</li>
 * </ul>
 * Exits 0 when done.
 */
public final class BlockingCallChild {
    /** The timeout of timed forms in interrupt mode: far beyond any test's patience. */
    private static final long LONG_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static volatile long interruptedAt;

    private BlockingCallChild() {
    }

    /**
     * @param args namespace directory, mode, call, and for timed mode the timeout in milliseconds
     * @throws InterruptedException never: nothing interrupts the main thread
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        final Call call = Call.valueOf(args[2]);
        try (Namespace namespace = Namespace.attach(Path.of(args[0]));
             SyncObjects objects = SyncObjects.attach(namespace)) {
            switch (args[1]) {
                case "interrupt" -> interrupt(objects, call);
                case "timed" -> timed(objects, call, TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3])));
                default -> ChildMain.failAndExit("unknown mode " + args[1]);
            }
        }
    }

    private static void interrupt(final SyncObjects objects, final Call call) throws InterruptedException {
        final Thread blocked = Thread.ofPlatform().name("blocked").start(() -> {
            ChildMain.say("BLOCKING");
            final String outcome = outcomeOf(call, objects, LONG_TIMEOUT_NANOS);
            final long ended = System.nanoTime();
            ChildMain.say("ENDED " + (ended - interruptedAt) + " " + Thread.currentThread().isInterrupted() + " " + outcome);
        });
        ChildMain.expectCommand("INTERRUPT");
        interruptedAt = System.nanoTime();
        blocked.interrupt();
        join(blocked);

        ChildMain.expectCommand("CHECK");
        join(Thread.ofPlatform().name("check").start(() -> {
            ChildMain.say("CHECKING");
            ChildMain.say("USABLE " + outcomeOf(call, objects, LONG_TIMEOUT_NANOS));
        }));
    }

    private static void timed(final SyncObjects objects, final Call call, final long timeoutNanos) {
        ChildMain.say("READY");
        ChildMain.expectCommand("GO");
        final long start = System.nanoTime();
        final String outcome = outcomeOf(call, objects, timeoutNanos);
        final long elapsed = System.nanoTime() - start;
        ChildMain.say("ENDED " + elapsed + " " + Thread.currentThread().isInterrupted() + " " + outcome);
    }

    private static String outcomeOf(final Call call, final SyncObjects objects, final long timeoutNanos) {
        try {
            return call.perform(objects, timeoutNanos);
        } catch (final Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static void join(final Thread thread) throws InterruptedException {
        if (!thread.join(ChildMain.PATIENCE)) {
            ChildMain.failAndExit("thread " + thread.getName() + " still runs after " + ChildMain.PATIENCE.toSeconds() + " s");
        }
    }
}
