package dev.mproc.core;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that is also {@link Serializable}, so that a lambda or method reference
 * typed as this interface serialises and can run in another JVM.
 *
 * <p>Why it exists: a lambda is serialisable only when its target type is. A task submitted to a
 * pool as this type is encoded (through {@link DefaultCodec}), run by a worker JVM, and its
 * result sent back. Everything the lambda captures, and the value it returns, must itself be
 * serialisable (or have a {@link Codec}).
 *
 * @param <V> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
