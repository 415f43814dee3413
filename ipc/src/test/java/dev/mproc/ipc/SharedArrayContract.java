package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every shared array does beyond {@link SharedHandleContract}, whatever its element type:
 * the length comes from the file, an index outside the array is refused with a message naming
 * it and the length, a negative length is refused and an empty array works, a named array of
 * another length is refused, create-or-attach by name shares the elements, and the element
 * segment is exactly the elements, starts on a cache line and dies with its handle. The
 * {@link SharedHandleContract} checks run on element 2 of a three-element array.
 *
 * @param <H> the array handle type
 */
abstract class SharedArrayContract<H extends AutoCloseable> extends SharedHandleContract<H> {
    /** Creates an array of {@code length} zeros with a generated name. */
    interface Create<H> {
        H create(Namespace namespace, int length);
    }

    /** Creates or attaches to the array of that name with {@code length} elements. */
    interface CreateNamed<H> {
        H create(Namespace namespace, String name, int length);
    }

    /** Sets one element to a small whole number. */
    interface SetElement<H> {
        void set(H array, int index, int value);
    }

    /** Reads one element as written by {@link SetElement}. */
    interface GetElement<H> {
        double get(H array, int index);
    }

    /**
     * The calls the contract makes on one array type, as method references (or one-line lambdas).
     *
     * @param create      {@code create(namespace, length)}
     * @param createNamed {@code create(namespace, name, length)}
     * @param attach      {@code attach(file)}
     * @param file        {@code file()}
     * @param lock        {@code getLock()}
     * @param length      {@code length()}
     * @param segment     {@code segment()}
     * @param elementSize bytes per element
     * @param set         {@code set(index, value)}
     * @param get         {@code get(index)}
     * @param <H>         the array handle type
     */
    record ArrayCalls<H>(Create<H> create, CreateNamed<H> createNamed, Function<Path, H> attach,
                         Function<H, Path> file, Function<H, Lock> lock, ToIntFunction<H> length,
                         Function<H, MemorySegment> segment, int elementSize, SetElement<H> set, GetElement<H> get) {
    }

    private final ArrayCalls<H> calls;

    SharedArrayContract(final ArrayCalls<H> calls) {
        super(new Calls<>(namespace -> calls.create().create(namespace, 3), calls.attach(), calls.file(),
            calls.lock(), (array, value) -> calls.set().set(array, 2, value), array -> calls.get().get(array, 2)));
        this.calls = calls;
    }

    @Test
    final void shouldReadTheLengthFromTheFileWhenAttaching() throws Exception {
        try (H created = calls.create().create(namespace, 4);
             H attached = attach(created)) {
            assertEquals(4, calls.length().applyAsInt(attached));
            calls.set().set(created, 3, 42);
            assertEquals(42, calls.get().get(attached, 3));
        }
    }

    @Test
    final void shouldNameIndexAndLengthWhenOutOfRange() throws Exception {
        try (H array = calls.create().create(namespace, 3)) {
            final IndexOutOfBoundsException high = assertThrows(IndexOutOfBoundsException.class,
                () -> calls.get().get(array, 3));
            assertEquals("index out of range: index=3 length=3", high.getMessage());
            final IndexOutOfBoundsException low = assertThrows(IndexOutOfBoundsException.class,
                () -> calls.set().set(array, -1, 0));
            assertEquals("index out of range: index=-1 length=3", low.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> calls.set().set(array, 3, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> calls.get().get(array, Integer.MIN_VALUE));
        }
    }

    @Test
    final void shouldRejectNegativeLengthAndAllowEmpty() throws Exception {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> calls.create().create(namespace, -1));
        assertTrue(e.getMessage().contains("length=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> calls.createNamed().create(namespace, "negative", -2));
        assertFalse(Files.exists(namespace.pathOf("negative")), "nothing is created");
        try (H empty = calls.create().create(namespace, 0)) {
            assertEquals(0, calls.length().applyAsInt(empty));
            assertEquals(0, calls.segment().apply(empty).byteSize());
            assertThrows(IndexOutOfBoundsException.class, () -> calls.get().get(empty, 0));
        }
    }

    @Test
    final void shouldAttachByNameToTheSameElements() throws Exception {
        try (H first = calls.createNamed().create(namespace, "shared", 2);
             H second = calls.createNamed().create(namespace, "shared", 2)) {
            assertEquals(namespace.pathOf("shared"), file(second));
            calls.set().set(first, 1, 7);
            assertEquals(7, calls.get().get(second, 1));
        }
    }

    @Test
    final void shouldRefuseANamedArrayOfAnotherLength() throws Exception {
        try (H existing = calls.createNamed().create(namespace, "results", 4)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> calls.createNamed().create(namespace, "results", 3));
            assertTrue(e.getMessage().contains(file(existing).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("expected length=3"), e.getMessage());
            assertTrue(e.getMessage().contains("actual length=4"), e.getMessage());
        }
    }

    @Test
    final void shouldExposeExactlyTheElementsAsASegmentOnACacheLine() throws Exception {
        try (H array = calls.create().create(namespace, 3)) {
            final MemorySegment segment = calls.segment().apply(array);
            assertEquals(3L * calls.elementSize(), segment.byteSize(), "exactly the elements, no padding");
            assertEquals(0, segment.address() % 64, "element area starts on a cache line");
        }
    }

    @Test
    final void shouldMakeTheSegmentInaccessibleOnClose() throws Exception {
        final H array = calls.create().create(namespace, 2);
        final MemorySegment segment = calls.segment().apply(array);
        array.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> calls.segment().apply(array).get(ValueLayout.JAVA_BYTE, 0));
    }
}
