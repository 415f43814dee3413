package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;

/**
 * One type of shared value or array, and how its handles are made: the region kind of its files,
 * the public class name, the prefix of the names it generates and, for an array, the layout of
 * one element. Each public type holds its own as a constant and makes every {@link SharedHandle}
 * through it, so creating, creating-or-attaching, attaching and checking a value file
 * ({@link SharedValueLayout}) or an array file ({@link SharedArrayLayout}) is written once.
 */
final class SharedType {
    private final String typeName;
    private final RegionKind kind;
    private final String namePrefix;
    /** The layout of one element of an array type; null for a single value. */
    private final ValueLayout element;

    private SharedType(final String typeName, final RegionKind kind, final String namePrefix,
                       final ValueLayout element) {
        this.typeName = typeName;
        this.kind = kind;
        this.namePrefix = namePrefix;
        this.element = element;
    }

    /**
     * @param typeName   the public class name, shown by its toString
     * @param kind       the region kind of its files
     * @param namePrefix the prefix of the names {@link Namespace#uniqueName} generates for it
     * @return a single-value type
     */
    static SharedType value(final String typeName, final RegionKind kind, final String namePrefix) {
        return new SharedType(typeName, kind, namePrefix, null);
    }

    /**
     * @param typeName   the public class name, shown by its toString
     * @param kind       the region kind of its files
     * @param namePrefix the prefix of the names {@link Namespace#uniqueName} generates for it
     * @param element    the layout of one element ({@code JAVA_INT}, ...), whose carrier is the
     *                   component type of the Java arrays its factories copy from
     * @return an array type
     */
    static SharedType array(final String typeName, final RegionKind kind, final String namePrefix,
                            final ValueLayout element) {
        return new SharedType(typeName, kind, namePrefix, Objects.requireNonNull(element, "element"));
    }

    /**
     * @param namespace   where the value file goes
     * @param initialiser writes the initial value (plain writes: it runs before the file is published)
     * @return a handle on a new value with a generated name
     */
    SharedHandle createValue(final Namespace namespace, final Consumer<MappedRegion> initialiser) {
        Objects.requireNonNull(namespace, "namespace");
        return SharedHandle.ofValue(typeName, namespace.createRegion(namespace.uniqueName(namePrefix), kind,
            SharedValueLayout.LAYOUT_VERSION, SharedValueLayout.LENGTH, initialiser));
    }

    /**
     * @param namespace   where the value file goes
     * @param name        its name in the namespace
     * @param initialiser writes the initial value if the file is created (it may run in a racer
     *                    that then attaches to another's file: it must only write its region)
     * @return a handle on the value of that name, created or attached
     */
    SharedHandle createOrAttachValue(final Namespace namespace, final String name,
                                     final Consumer<MappedRegion> initialiser) {
        Objects.requireNonNull(namespace, "namespace");
        return SharedHandle.ofValue(typeName, namespace.createOrAttachRegion(name, kind,
            SharedValueLayout.LAYOUT_VERSION, SharedValueLayout.LENGTH, initialiser));
    }

    /**
     * @param namespace where the array file goes
     * @param length    the number of elements, already checked to be non-negative
     * @param initial   a Java array of {@code length} elements to copy in, or null for zeros
     * @return a handle on a new array with a generated name
     */
    SharedHandle createArray(final Namespace namespace, final int length, final Object initial) {
        Objects.requireNonNull(namespace, "namespace");
        return openArray(namespace.createRegion(namespace.uniqueName(namePrefix), kind,
            SharedArrayLayout.LAYOUT_VERSION, bodyLength(length), region -> initialise(region, length, initial)),
            length);
    }

    /**
     * @param namespace where the array file goes
     * @param name      its name in the namespace
     * @param length    the number of elements, already checked to be non-negative
     * @param initial   a Java array of {@code length} elements to copy in if the file is created,
     *                  or null for zeros
     * @return a handle on the array of that name, created or attached
     * @throws IllegalArgumentException if the existing array has another length
     */
    SharedHandle createOrAttachArray(final Namespace namespace, final String name, final int length,
                                     final Object initial) {
        Objects.requireNonNull(namespace, "namespace");
        return openArray(namespace.createOrAttachRegion(name, kind, SharedArrayLayout.LAYOUT_VERSION,
            bodyLength(length), region -> initialise(region, length, initial)), length);
    }

    /**
     * @param file a file of this type
     * @return a new handle on it (an array of whatever length the file has)
     */
    SharedHandle attach(final Path file) {
        Objects.requireNonNull(file, "file");
        if (element == null) {
            return SharedHandle.ofValue(typeName, MappedRegion.attach(file, kind, SharedValueLayout.LAYOUT_VERSION));
        }
        return openArray(MappedRegion.attach(file, kind, SharedArrayLayout.LAYOUT_VERSION), -1);
    }

    private int elementSize() {
        return (int) element.byteSize();
    }

    private long bodyLength(final int length) {
        return SharedArrayLayout.bodyLength(length, elementSize());
    }

    /** Runs before the file is published: plain writes, made visible by the READY release store. */
    private void initialise(final MappedRegion region, final int length, final Object initial) {
        SharedArrayLayout.writeHeader(region, length, elementSize());
        if (initial != null) {
            MemorySegment.copy(initial, 0, region.segment(), element, SharedArrayLayout.ELEMENTS_OFFSET, length);
        }
    }

    /** @param expectedLength the length asked for, or -1 to accept the file's */
    private SharedHandle openArray(final MappedRegion region, final int expectedLength) {
        return SharedHandle.ofArray(typeName, region,
            SharedArrayLayout.openLength(region, elementSize(), expectedLength), elementSize());
    }
}
