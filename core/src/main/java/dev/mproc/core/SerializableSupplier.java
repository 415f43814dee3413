package dev.mproc.core;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that is also {@link Serializable}, so that a lambda or method reference
 * typed as this interface serialises and can run in another JVM.
 *
 * <p>Why it exists: a lambda is serialisable only when its target type is; factories that must
 * run in a child process (to build per-worker state there rather than ship it) are typed as
 * this. Everything the lambda captures must itself be serialisable.
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
