package dev.mproc.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An {@link ObjectInputStream} that resolves the classes named in a payload through
 * {@link DefaultCodec}'s class-loader policy: the configured loader if there is one, else the
 * decoding thread's context loader and then the codec's own loader.
 *
 * <p>Why: the default {@code resolveClass} uses the "latest user-defined loader" on the call
 * stack, which for a worker thread inside mproc is mproc's own loader and misses application
 * classes loaded elsewhere (a plugin loader, a test framework's loader). Trying the context
 * loader first finds those; falling back to the codec's loader still finds classes that live
 * next to mproc when the context loader is the system loader.
 */
final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    /**
     * @param in     the serialisation stream
     * @param loader the configured loader, or {@code null} for the context-then-own policy
     * @throws IOException if the stream header cannot be read
     */
    LoaderObjectInputStream(final InputStream in, final ClassLoader loader) throws IOException {
        super(in);
        this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(final ObjectStreamClass desc) throws ClassNotFoundException {
        return resolve(desc.getName(), loader);
    }

    /**
     * Names the loaders that {@link #resolveClass} tries, for a "class not found" message.
     *
     * @param configured the configured loader, or {@code null}
     * @return the loader, or the context and own loaders as they are on this thread now
     */
    static String describeLoaders(final ClassLoader configured) {
        if (configured != null) {
            return configured.toString();
        }
        return "context " + Thread.currentThread().getContextClassLoader() + " or "
            + DefaultCodec.class.getClassLoader();
    }

    private static Class<?> resolve(final String name, final ClassLoader configured)
        throws ClassNotFoundException {
        final Class<?> primitive = primitiveClass(name);
        if (primitive != null) {
            return primitive;
        }
        if (configured != null) {
            return Class.forName(name, false, configured);
        }
        final ClassLoader own = DefaultCodec.class.getClassLoader();
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != own) {
            try {
                return Class.forName(name, false, context);
            } catch (final ClassNotFoundException e) {
                // fall through to the codec's own loader
            }
        }
        return Class.forName(name, false, own);
    }

    /** Class.forName does not know primitive types, which serialise by name (e.g. int.class). */
    private static Class<?> primitiveClass(final String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "void" -> void.class;
            default -> null;
        };
    }
}
