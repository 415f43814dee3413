package dev.mproc.benchmarks.workloads;

import java.util.Arrays;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.ipc.Queue;

/**
 * Small ints through one {@link Queue} from producer JVMs to one consumer JVM: {@code put(Integer)}
 * in each producer, {@code take()} in the consumer, default codec, ring (1 MiB) and wait strategy.
 * Python's {@code q.put(i)} / {@code q.get()}. Two instances: {@link #oneProducer()} (sides A
 * consumer, B producer) and {@link #fourProducers()} (side A consumer, sides B to E producers:
 * five JVMs).
 * <p>
 * A run is a fixed number of items in all, shared out evenly among the producers; the rate is
 * items / (last end - first start) over every side. Producers box their values as they go and the
 * consumer decodes a new {@code Integer} per item: both allocate one small object per item.
 * <p>
 * Placement when pinned: the consumer alone on CPU 0, every producer on the other CPUs (on a
 * machine of two CPUs, all four producers share CPU 1 and take turns at it as the scheduler
 * decides). The consumer is the one that must keep up; pinned beside a producer it would get half a
 * CPU.
 * <p>
 * Checks: each value is the producer's number (high bits) and its sequence number in this run (low
 * 26 bits); the consumer checks that each producer's values arrive in the order it put them with
 * none missing or repeated (the queue's per-producer FIFO guarantee), and after each run that it
 * took exactly every producer's share and that the queue is empty.
 * <pre>
 *   body offset 0   RunClock: barrier; one slot per side (producers' value 0: items put this run)
 * </pre>
 */
public final class QueueInts implements Workload {
    static final String QUEUE = "queue";
    static final String RATE = "throughput";
    static final String TIME = "time per item";

    /** Low bits of a value: the producer's sequence number within the run. */
    static final int SEQUENCE_BITS = 26;
    private static final int SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;
    private static final int PUT = 0;

    private final String name;
    private final String title;
    private final int producers;
    private final long iterations;
    private final List<Figure> figures;

    private QueueInts(
        final String name, final String title, final int producers, final long iterations, final List<Figure> figures) {
        this.name = name;
        this.title = title;
        this.producers = producers;
        this.iterations = iterations;
        this.figures = figures;
    }

    /**
     * @return one producer JVM, one consumer JVM
     */
    public static QueueInts oneProducer() {
        return new QueueInts("queue-1p1c",
            "Small ints through a Queue from 1 producer JVM to 1 consumer JVM: put(Integer) -> take(), default "
                + "codec, ring (1 MiB) and wait strategy; rate = items / (last end - first start). Peer: CPython "
                + "Queue, 1 producer and 1 consumer process, small ints.",
            1, 5_000_000,
            List.of(
                Figure.of(RATE, "M msg/s", Better.HIGHER, ">= 10 M msg/s",
                    PeerRef.cpython(PeerKeys.PY_QUEUE_1P1C, "Queue 1p1c ints"),
                    PeerRef.measured(PeerRef.AGRONA, "producers-agrona-m2o", ProducerSweep.figureOf(1),
                        "Agrona ManyToOneRingBuffer, 16 B")),
                Figure.of(TIME, "ns/op", Better.LOWER, "",
                    PeerRef.cpython(PeerKeys.PY_QUEUE_1P1C, "Queue 1p1c ints"))));
    }

    /**
     * @return four producer JVMs, one consumer JVM
     */
    public static QueueInts fourProducers() {
        return new QueueInts("queue-4p1c",
            "Small ints through a Queue from 4 producer JVMs to 1 consumer JVM (five processes): put(Integer) -> "
                + "take(), default codec, ring (1 MiB) and wait strategy; producers take turns through the queue's "
                + "producer mutex; rate = items / (last end - first start). Peer: CPython Queue, 4 producer and 1 "
                + "consumer process, small ints (the C limits print no MPSC figure: run.sh does not run mpsc).",
            4, 4_000_000,
            List.of(
                Figure.of(RATE, "M msg/s", Better.HIGHER, ">= 5 M msg/s",
                    PeerRef.cpython(PeerKeys.PY_QUEUE_4P1C, "Queue 4p1c ints"),
                    PeerRef.measured(PeerRef.AGRONA, "producers-agrona-m2o", ProducerSweep.figureOf(4),
                        "Agrona ManyToOneRingBuffer, 16 B")),
                Figure.of(TIME, "ns/op", Better.LOWER, "",
                    PeerRef.cpython(PeerKeys.PY_QUEUE_4P1C, "Queue 4p1c ints"))));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int sides() {
        return 1 + producers;
    }

    @Override
    public int cpuOf(final int side, final int cpus) {
        return side == 0 ? 0 : 1 + (side - 1) % (cpus - 1);
    }

    @Override
    public long regionBytes() {
        return RunClock.bytesFor(sides());
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 20_000 : iterations;
    }

    @Override
    public String iterationUnit() {
        return "items in all" + (producers > 1 ? " (a quarter from each producer)" : "");
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    /**
     * @param n        items in a run
     * @param producer 0 ... producers-1
     * @return how many of them that producer puts
     */
    long shareOf(final long n, final int producer) {
        return n / producers + (producer < n % producers ? 1 : 0);
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        if (context.sides() != sides()) {
            throw new IllegalArgumentException(name + " needs " + sides() + " sides, got " + context.sides());
        }
        if (shareOf(context.iterations(), 0) > SEQUENCE_MASK) {
            throw new IllegalArgumentException("at most " + SEQUENCE_MASK + " items per producer and run, asked for "
                + shareOf(context.iterations(), 0));
        }
        final RunClock clock = new RunClock(context.region(), 0, sides(), context.side());
        try (Queue<Integer> queue = Queue.create(context.namespace(), QUEUE)) {
            if (context.side() == 0) {
                clock.guard(() -> consume(context, clock, queue));
            } else {
                clock.guard(() -> produce(context, clock, queue, context.side() - 1));
            }
        }
    }

    private void produce(final SideContext context, final RunClock clock, final Queue<Integer> queue, final int producer)
        throws InterruptedException {
        final long share = shareOf(context.iterations(), producer);
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            putRun(queue, producer << SEQUENCE_BITS, (int) share);
            clock.publish(PUT, share);
            clock.end();
        }
    }

    private void consume(final SideContext context, final RunClock clock, final Queue<Integer> queue)
        throws InterruptedException {
        final long n = context.iterations();
        final int[] last = new int[producers];
        for (int run = -context.warmups(); run < context.runs(); run++) {
            Arrays.fill(last, 0);
            clock.begin();
            takeRun(queue, last, n);
            clock.end();
            for (int producer = 0; producer < producers; producer++) {
                final long put = clock.value(1 + producer, PUT);
                if (last[producer] != put || put != shareOf(n, producer)) {
                    throw new IllegalStateException("producer " + producer + " put " + put + " items (its share: "
                        + shareOf(n, producer) + ") but the consumer took " + last[producer] + " (run " + run + ")");
                }
            }
            final Integer extra = queue.poll();
            if (extra != null || queue.size() != 0) {
                throw new IllegalStateException("the queue is not empty after every item was taken: polled " + extra
                    + ", size " + queue.size() + " (run " + run + ")");
            }
            if (run >= 0) {
                final long nanos = clock.spanNanos();
                context.record(run, RATE, n * 1e3 / nanos);
                context.record(run, TIME, (double) nanos / n);
            }
        }
    }

    /** One run of a producer; a method of its own so that the JIT compiles the loop whole. */
    private static void putRun(final Queue<Integer> queue, final int tag, final int share) throws InterruptedException {
        for (int seq = 1; seq <= share; seq++) {
            queue.put(tag | seq);
        }
    }

    /** One run of the consumer: each producer's values must come in order, none missing or repeated. */
    private static void takeRun(final Queue<Integer> queue, final int[] last, final long n) throws InterruptedException {
        for (long k = 0; k < n; k++) {
            final int value = queue.take();
            final int producer = value >>> SEQUENCE_BITS;
            final int seq = value & SEQUENCE_MASK;
            if (producer >= last.length || seq != last[producer] + 1) {
                throw new IllegalStateException("item out of order: producer " + producer + " sequence " + seq
                    + " after " + (producer < last.length ? String.valueOf(last[producer]) : "nothing (no such producer)"));
            }
            last[producer] = seq;
        }
    }
}
