package dev.mproc.core;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A {@link Consumer} that is also {@link Serializable}, so that a lambda or method reference
 * typed as this interface serialises and can run in another JVM.
 *
 * <p>Why it exists: a lambda is serialisable only when its target type is; callbacks that a
 * worker process runs (initialisers, per-item actions) are typed as this so that they can be
 * shipped to it. Everything the lambda captures must itself be serialisable.
 *
 * @param <T> the type of the input
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable {
}
