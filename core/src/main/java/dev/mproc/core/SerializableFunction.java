package dev.mproc.core;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that is also {@link Serializable}, so that a lambda or method reference
 * typed as this interface serialises and can run in another JVM.
 *
 * <p>Why it exists: a lambda is serialisable only when its target type is. {@code pool.map(fn,
 * items)} sends {@code fn} to worker JVMs, which needs the compiler to have emitted a serialisable
 * lambda. Everything the lambda captures must itself be serialisable.
 *
 * @param <T> the type of the input
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
