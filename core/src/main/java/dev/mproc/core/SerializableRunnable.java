package dev.mproc.core;

import java.io.Serializable;

/**
 * A {@link Runnable} that is also {@link Serializable}, so that a lambda or method reference
 * typed as this interface serialises and can run in another JVM.
 *
 * <p>Why it exists: a lambda is serialisable only when its target type is. Writing
 * {@code mp.process(() -> work(a))} against this type makes the compiler emit a serialisable
 * lambda that captures {@code a}; the child process decodes it (through {@link DefaultCodec})
 * and runs it. Everything the lambda captures must itself be serialisable.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
