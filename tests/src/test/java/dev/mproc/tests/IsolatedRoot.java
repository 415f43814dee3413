package dev.mproc.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh mproc root ({@code -Dmproc.dir}) for one test, in this JVM and in the children it
 * starts meanwhile ({@link ChildJvm} passes {@code mproc.dir} on).
 * <p>
 * Why: every {@code Namespace.createPrivate()} on the machine sweeps dead private namespaces in
 * the shared root. A test that kills a child and then checks that its directory is still there,
 * and that the <em>next</em> create sweeps it, would race with other builds' creates; in a root
 * of its own nobody else sweeps.
 * <p>
 * Sets a JVM-wide system property, so only for tests that run one at a time (the default).
 */
public final class IsolatedRoot implements AutoCloseable {
    private final Path directory;
    private final String previous;

    private IsolatedRoot(final Path directory, final String previous) {
        this.directory = directory;
        this.previous = previous;
    }

    /**
     * Creates the root next to the usual one and points {@code mproc.dir} at it.
     *
     * @return the isolated root; close it to restore the property and delete the root
     */
    public static IsolatedRoot create() {
        final Path directory = NoLeftoversExtension.mprocBase().resolve(TestNames.unique("root"));
        try {
            Files.createDirectory(directory);
        } catch (final IOException e) {
            throw new UncheckedIOException(directory + ": cannot create: " + e, e);
        }
        final String previous = System.getProperty("mproc.dir");
        System.setProperty("mproc.dir", directory.toString());
        return new IsolatedRoot(directory, previous);
    }

    /**
     * @return the root directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Restores {@code mproc.dir} and deletes the root with anything left in it.
     */
    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty("mproc.dir");
        } else {
            System.setProperty("mproc.dir", previous);
        }
        NoLeftoversExtension.deleteRecursively(directory);
    }
}
