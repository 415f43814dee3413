package dev.mproc.tests.sync;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.mproc.core.Namespace;
import dev.mproc.tests.NoLeftoversExtension;

/**
 * Private namespaces for these tests, in the user root that other builds share.
 * <p>
 * Why not plain {@link Namespace#createPrivate()}: core's creation of the user root
 * ({@code Namespace.userRoot()}) races with other processes removing it when it is empty. Its
 * {@code createDirectory} finds the root present, another process's {@code close()} removes it,
 * and the follow-up {@code isDirectory} check then fails with "exists but is not a directory",
 * although nothing but a directory was ever there. Other builds (jcstress forks above all) create
 * and close namespaces all the time, so a test here hit that now and then. Until core retries
 * itself, this retries exactly that case: the message says "not a directory" while the path is a
 * directory or absent.
 */
final class SharedRoot {
    private static final int ATTEMPTS = 10;

    private SharedRoot() {
    }

    /**
     * @return a new private namespace owned by this JVM
     */
    static Namespace createPrivateNamespace() {
        for (int attempt = 1; ; attempt++) {
            try {
                return Namespace.createPrivate();
            } catch (final IllegalStateException e) {
                final Path root = NoLeftoversExtension.userRoot();
                final boolean raced = String.valueOf(e.getMessage()).endsWith("exists but is not a directory")
                    && (!Files.exists(root, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS));
                if (!raced || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
