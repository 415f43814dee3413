package dev.mproc.jcstress.harness;

import java.util.concurrent.atomic.AtomicLong;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;

/**
 * One region file mapped twice in this JVM, handing out fresh zeroed slots to jcstress states:
 * two processes in miniature.
 * <p>
 * Why two mappings: mproc's shared objects are touched by different processes, each through its
 * own mapping of the same file. A jcstress test runs its actors as threads of one JVM, so each
 * state gives each actor its own mapping, {@link #mappingA()} (made by {@link MappedRegion#create})
 * or {@link #mappingB()} (made by {@link MappedRegion#attach} of the same file): different virtual
 * addresses over the same physical pages. Nothing, neither the JIT nor the hardware, can then lean
 * on both actors using one address, just as nothing can between two processes; and a futex woken
 * through one mapping must reach a sleeper on the other, which holds only for process-shared
 * futexes.
 * <p>
 * Why one file for all states: jcstress makes very many state objects (hundreds of thousands per
 * test), far too many to create a file and two mappings for each. So the file is made once per
 * JVM, lazily (the jcstress host JVM that only lists and schedules tests never makes it), and each
 * new state claims the next {@link #SLOT_BYTES}-byte slot of a {@link #RING_BYTES} ring with
 * {@link #claimSlot()}, which zeroes it. The ring is large enough that a slot is reused only
 * hundreds of thousands of states later, long after jcstress dropped the state that held it.
 * Slots are {@link #SLOT_BYTES} bytes, two cache lines, and aligned to that, so two states never
 * share a cache line (nor the adjacent-line pair that some CPUs prefetch together): a test sees
 * its own words' races only.
 * <p>
 * Why nothing is left in /dev/shm: the region lives in a private {@link Namespace} that is removed
 * as soon as both mappings exist. Mappings outlive the file's name, so the tests keep working, and
 * a forked test JVM that is killed leaves nothing behind.
 */
public final class TwoMappings {
    /** Bytes in one state's slot: two 64-byte cache lines. */
    public static final int SLOT_BYTES = 128;

    /** Bytes in the ring of slots: 256 Ki slots. */
    public static final long RING_BYTES = 32L << 20;

    private static final RegionKind KIND = RegionKind.of("JCSM");
    private static final long SLOTS = RING_BYTES / SLOT_BYTES;

    private final MappedRegion a;
    private final MappedRegion b;
    private final AtomicLong nextSlot = new AtomicLong();

    private TwoMappings(final MappedRegion a, final MappedRegion b) {
        this.a = a;
        this.b = b;
    }

    /** Maps on first use only: holders of the class (the jcstress host) pay nothing. */
    private static final class Holder {
        static final TwoMappings INSTANCE = open();

        private Holder() {
        }
    }

    private static TwoMappings open() {
        final Namespace namespace = Namespace.createPrivate();
        try {
            final String name = namespace.uniqueName("two-mappings");
            final MappedRegion a = namespace.createRegion(name, KIND, 1, RING_BYTES, region -> { });
            final MappedRegion b = namespace.attachRegion(name, KIND, 1);
            if (a.segment().address() == b.segment().address()) {
                throw new IllegalStateException("the second mapping of " + a.file()
                    + " has the first one's address 0x" + Long.toHexString(a.segment().address())
                    + ": the tests would not model two processes");
            }
            if (a.segment().address() % SLOT_BYTES != 0 || b.segment().address() % SLOT_BYTES != 0) {
                throw new IllegalStateException("mapping bodies are not " + SLOT_BYTES + "-byte aligned: a=0x"
                    + Long.toHexString(a.segment().address()) + " b=0x" + Long.toHexString(b.segment().address()));
            }
            return new TwoMappings(a, b);
        } finally {
            // Deletes the file's name and the directory; both mappings stay valid until unmapped.
            namespace.close();
        }
    }

    /**
     * @return the mapping made by creating the file: one "process"
     */
    public static MappedRegion mappingA() {
        return Holder.INSTANCE.a;
    }

    /**
     * @return the mapping made by attaching to the same file: the other "process"
     */
    public static MappedRegion mappingB() {
        return Holder.INSTANCE.b;
    }

    /**
     * Claims the next slot of the ring and zeroes it, for one new state.
     *
     * @return the slot's body offset, the same in both mappings; {@link #SLOT_BYTES} bytes from
     *         there belong to the caller
     */
    public static long claimSlot() {
        final TwoMappings shared = Holder.INSTANCE;
        final long offset = (shared.nextSlot.getAndIncrement() % SLOTS) * SLOT_BYTES;
        // A reused slot still holds its previous state's values. jcstress publishes a new state to
        // its actor threads with a happens-before edge, which orders this fill before their reads.
        shared.a.segment().asSlice(offset, SLOT_BYTES).fill((byte) 0);
        return offset;
    }
}
