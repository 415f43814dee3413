package dev.mproc.tests;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * Child program for {@link FutexAcrossJvmsTest}; the wait word is at body offset 0 of the region.
 * <ul>
 *   <li>{@code sleep <dir> <region> <timeoutMillis>}: prints {@code READY <word address>}, sleeps with
 *   {@link WaitStrategies#sleeping()} until the word is 1, prints {@code ENDED <result> <nanos>}.</li>
 *   <li>{@code wake <dir> <region> <sleeperPid> <sleeperWordAddress>}: prints {@code READY}, waits
 *   until the sleeper has announced itself and sleeps in futex on the word, sets the word to 1,
 *   wakes all, prints {@code WOKE}.</li>
 *   <li>{@code timeout <dir> <region> <timeoutMillis>}: waits for a word nobody changes with three
 *   strategies in turn, printing {@code ENDED <strategy> <result> <nanos>} for each.</li>
 *   <li>{@code pong <dir> <region> <rounds>}: the answering side of a ping-pong on the word with
 *   the default strategy; prints {@code DONE <rounds>}.</li>
 * </ul>
 */
public final class FutexChild {
    private FutexChild() {
    }

    /**
     * @param args mode, namespace directory, region name, mode argument
     * @throws InterruptedException never: nothing here interrupts the main thread
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Namespace namespace = Namespace.attach(Path.of(args[1]));
             MappedRegion region = namespace.attachRegion(args[2], TestRegions.KIND, TestRegions.VERSION)) {
            final WaitWord word = WaitWord.at(region, 0);
            switch (args[0]) {
                case "sleep" -> sleep(word, Long.parseLong(args[3]), region.segment().address());
                case "wake" -> wake(word, Long.parseLong(args[3]), Long.parseLong(args[4]));
                case "timeout" -> timeout(word, Long.parseLong(args[3]));
                case "pong" -> pong(word, Integer.parseInt(args[3]));
                default -> ChildMain.failAndExit("unknown mode " + args[0]);
            }
        }
    }

    private static void sleep(final WaitWord word, final long timeoutMillis, final long address) throws InterruptedException {
        ChildMain.say("READY " + address);
        final long start = System.nanoTime();
        final boolean satisfied = WaitStrategies.sleeping().await(word, () -> word.getAcquire() == 1, timeoutMillis, TimeUnit.MILLISECONDS);
        ChildMain.say("ENDED " + satisfied + " " + (System.nanoTime() - start));
    }

    private static void wake(final WaitWord word, final long sleeperPid, final long sleeperAddress) {
        ChildMain.say("READY");
        // Announced and inside futex_wait on the word: from here only a FUTEX_WAKE (or the
        // sleeper's timeout) can end its sleep. Polled, not spun: the sleeper may need this core.
        if (!FutexSleepProbe.awaitAsleepOn(sleeperPid, sleeperAddress, () -> word.sleepers() == 1, ChildMain.PATIENCE)) {
            ChildMain.failAndExit("pid " + sleeperPid + " never slept in futex on 0x" + Long.toHexString(sleeperAddress)
                + "; sleepers=" + word.sleepers());
        }
        word.set(1);
        word.wakeAll();
        ChildMain.say("WOKE");
    }

    private static void timeout(final WaitWord word, final long timeoutMillis) throws InterruptedException {
        // The last one sleeps in slices far longer than the timeout: the timeout must cut the slice.
        final WaitStrategy[] strategies = {
            WaitStrategies.sleeping(), WaitStrategies.defaultStrategy(),
            WaitStrategies.spinThenSleep(0, 0, 0, TimeUnit.SECONDS.toNanos(60))};
        final String[] names = {"sleeping", "default", "longSlice"};
        for (int i = 0; i < strategies.length; i++) {
            final long start = System.nanoTime();
            final boolean satisfied = strategies[i].await(word, () -> word.getAcquire() == 1, timeoutMillis, TimeUnit.MILLISECONDS);
            ChildMain.say("ENDED " + names[i] + " " + satisfied + " " + (System.nanoTime() - start));
        }
    }

    private static void pong(final WaitWord word, final int rounds) throws InterruptedException {
        final WaitStrategy strategy = WaitStrategies.defaultStrategy();
        ChildMain.say("READY");
        for (int i = 0; i < rounds; i++) {
            final int ping = 2 * i + 1;
            if (!strategy.await(word, () -> word.getAcquire() == ping, 10, TimeUnit.SECONDS)) {
                ChildMain.failAndExit("no ping " + ping + " within 10 s; word is " + word.get());
            }
            // Volatile write, then wake: the order WaitWord's no-lost-wake-up argument relies on.
            word.set(ping + 1);
            word.wakeAll();
        }
        ChildMain.say("DONE " + rounds);
    }
}
