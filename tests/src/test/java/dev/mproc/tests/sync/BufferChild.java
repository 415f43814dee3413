package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Condition;
import dev.mproc.tests.ChildMain;
import dev.mproc.tests.TestRegions;

/**
 * Child program for {@link ConditionBufferAcrossJvmsTest}: one side of a bounded buffer in shared
 * memory, guarded by a cross-process lock with two conditions, {@code notFull} and
 * {@code notEmpty}, both bound to it.
 * <p>
 * Usage: {@code BufferChild <dir> producer <items> <consumers>}: puts items {@code 0..items-1},
 * then one {@link #POISON} per consumer, prints {@code PRODUCED <items>}.
 * {@code BufferChild <dir> consumer}: takes items until it takes a poison, counting each item in
 * its {@link #SEEN} slot, prints {@code CONSUMED <count> <sum>}. Both print {@code READY} first,
 * wait for the parent's start flag, and exit 0. The lock is the one the conditions were created
 * with: attaching to a condition attaches to its lock.
 */
public final class BufferChild {
    /** Items taken so far (long); written only under the lock, plainly. */
    public static final long HEAD = 0;
    /** Items put so far (long); written only under the lock, plainly. */
    public static final long TAIL = 8;
    /** The start flag (long), release-stored by the parent. */
    public static final long GO = 64;
    /** The ring of {@link #CAPACITY} longs. */
    public static final long RING = 128;
    /** Slots in the ring: small, so that the producer often waits for room. */
    public static final int CAPACITY = 8;
    /** Item {@code i} was taken {@code SEEN + 4 * i} (int) times, counted atomically by its taker. */
    public static final long SEEN = RING + 8L * CAPACITY;
    /** What tells a consumer to stop. */
    public static final long POISON = -1;

    private final MappedRegion data;
    private final Condition notFull;
    private final Condition notEmpty;
    private final java.util.concurrent.locks.Lock lock;

    private BufferChild(final MappedRegion data, final Condition notFull, final Condition notEmpty) {
        this.data = data;
        this.notFull = notFull;
        this.notEmpty = notEmpty;
        this.lock = notFull.lock();
    }

    /**
     * @param length items to move
     * @return the body length the data region needs
     */
    public static long length(final int length) {
        return SEEN + 4L * length;
    }

    /**
     * @param args namespace directory, role, and for the producer: items, consumers
     * @throws InterruptedException never: nothing interrupts the main thread
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Namespace namespace = Namespace.attach(Path.of(args[0]));
             MappedRegion data = namespace.attachRegion("data", TestRegions.KIND, TestRegions.VERSION);
             Condition notFull = Condition.attach(namespace.pathOf("notFull"));
             Condition notEmpty = Condition.attach(namespace.pathOf("notEmpty"))) {
            final BufferChild buffer = new BufferChild(data, notFull, notEmpty);
            ChildMain.say("READY");
            ChildMain.pollUntil("the start flag", () -> data.getLongAcquire(GO) != 0);
            switch (args[1]) {
                case "producer" -> buffer.produce(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "consumer" -> buffer.consume();
                default -> ChildMain.failAndExit("unknown role " + args[1]);
            }
        }
    }

    private void produce(final int items, final int consumers) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            put(i);
        }
        for (int c = 0; c < consumers; c++) {
            put(POISON);
        }
        ChildMain.say("PRODUCED " + items);
    }

    private void consume() throws InterruptedException {
        long count = 0;
        long sum = 0;
        while (true) {
            final long item = take();
            if (item == POISON) {
                break;
            }
            // Atomic: a double delivery to both consumers at once must show as 2, not 1.
            data.getAndAddInt(SEEN + 4 * item, 1);
            count++;
            sum += item;
        }
        ChildMain.say("CONSUMED " + count + " " + sum);
    }

    private void put(final long item) throws InterruptedException {
        lock.lock();
        try {
            while (data.getLong(TAIL) - data.getLong(HEAD) == CAPACITY) {
                notFull.await();
            }
            final long tail = data.getLong(TAIL);
            data.putLong(RING + 8 * (tail % CAPACITY), item);
            data.putLong(TAIL, tail + 1);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    private long take() throws InterruptedException {
        lock.lock();
        try {
            while (data.getLong(TAIL) == data.getLong(HEAD)) {
                notEmpty.await();
            }
            final long head = data.getLong(HEAD);
            final long item = data.getLong(RING + 8 * (head % CAPACITY));
            data.putLong(HEAD, head + 1);
            notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }
}
