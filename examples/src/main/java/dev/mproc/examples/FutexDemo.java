package dev.mproc.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * Two JVMs share one memory-mapped region and wake each other through a futex in it.
 * <p>
 * The parent creates a private namespace holding one region with two {@link WaitWord}s, "ping"
 * and "pong", and starts a second JVM that attaches to the region by its path. They then take
 * turns: the parent bumps ping and sleeps until pong matches; the child sleeps until ping moves,
 * answers on pong, and so on. The first rounds use {@link WaitStrategies#sleeping()}, so every
 * hand-off is a real futex wake-up from one process to the other; the last rounds use the default
 * strategy, which spins briefly before sleeping and so mostly never enters the kernel.
 * When the parent closes the namespace, the region file is deleted.
 * <p>
 * Run it with the README's demo command. This demo is replaced by the process layer's once
 * {@code Process} exists.
 */
public final class FutexDemo {
    private static final RegionKind KIND = RegionKind.of("DEMO");
    private static final long PING = 0;
    private static final long PONG = 64;
    private static final int SLEEPING_ROUNDS = 2_000;
    private static final int DEFAULT_ROUNDS = 200_000;

    private FutexDemo() {
    }

    /**
     * @param args none for the parent; {@code child <region file>} for the child JVM
     * @throws Exception if the demo fails
     */
    public static void main(final String[] args) throws Exception {
        if (args.length == 2 && "child".equals(args[0])) {
            runChild(Path.of(args[1]));
        } else {
            runParent();
        }
    }

    private static void runParent() throws Exception {
        try (Namespace namespace = Namespace.createPrivate();
             MappedRegion region = namespace.createRegion("pingpong", KIND, 1, 4096, r -> { })) {
            System.out.println("[parent " + ProcessHandle.current().pid() + "] created " + region.file());
            final Process child = startChild(region.file());
            try {
                final WaitWord ping = WaitWord.at(region, PING);
                final WaitWord pong = WaitWord.at(region, PONG);
                final long sleepingNanos = exchange(ping, pong, 0, SLEEPING_ROUNDS, WaitStrategies.sleeping());
                System.out.printf("[parent] %,d round trips, both sides asleep on the futex each time: %.1f us each%n",
                    SLEEPING_ROUNDS, sleepingNanos / 1e3 / SLEEPING_ROUNDS);
                final long defaultNanos = exchange(ping, pong, SLEEPING_ROUNDS, DEFAULT_ROUNDS,
                    WaitStrategies.defaultStrategy());
                System.out.printf("[parent] %,d round trips with the default spin-then-futex strategy: %.2f us each%n",
                    DEFAULT_ROUNDS, defaultNanos / 1e3 / DEFAULT_ROUNDS);
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("child did not finish");
                }
                System.out.println("[parent] child exited with " + child.exitValue());
            } finally {
                child.destroyForcibly();
            }
        }
        System.out.println("[parent] namespace closed: region file deleted");
    }

    /** Parent side: bump ping, wait for pong to echo it. Returns the elapsed nanoseconds. */
    private static long exchange(
        final WaitWord ping,
        final WaitWord pong,
        final int from,
        final int rounds,
        final WaitStrategy strategy) throws InterruptedException {
        final long start = System.nanoTime();
        for (int i = from + 1; i <= from + rounds; i++) {
            final int expected = i;
            ping.set(expected);
            ping.wakeAll();
            if (!strategy.await(pong, () -> pong.getAcquire() == expected, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer from the child for round " + expected);
            }
        }
        return System.nanoTime() - start;
    }

    private static void runChild(final Path file) throws InterruptedException {
        try (MappedRegion region = MappedRegion.attach(file, KIND, 1)) {
            System.out.println("[child  " + ProcessHandle.current().pid() + "] attached " + file
                + " (created by " + region.creator() + ")");
            final WaitWord ping = WaitWord.at(region, PING);
            final WaitWord pong = WaitWord.at(region, PONG);
            echo(ping, pong, 0, SLEEPING_ROUNDS, WaitStrategies.sleeping());
            echo(ping, pong, SLEEPING_ROUNDS, DEFAULT_ROUNDS, WaitStrategies.defaultStrategy());
            System.out.println("[child] answered " + (SLEEPING_ROUNDS + DEFAULT_ROUNDS) + " pings");
        }
    }

    /** Child side: wait for ping to move, answer on pong. */
    private static void echo(
        final WaitWord ping,
        final WaitWord pong,
        final int from,
        final int rounds,
        final WaitStrategy strategy) throws InterruptedException {
        for (int i = from + 1; i <= from + rounds; i++) {
            final int expected = i;
            if (!strategy.await(ping, () -> ping.getAcquire() == expected, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ping from the parent for round " + expected);
            }
            pong.set(expected);
            pong.wakeAll();
        }
    }

    private static Process startChild(final Path file) throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), FutexDemo.class.getName(), "child", file.toString()));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Forward the child's output line by line so the two processes' lines interleave readably.
        final Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    System.out.println(line);
                }
            } catch (final IOException ignored) {
                // The child ended.
            }
        }, "child-output");
        pump.setDaemon(true);
        pump.start();
        return child;
    }
}
