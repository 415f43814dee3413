package dev.mproc.journal;

import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.onoes.ExceptionHandler;
import org.slf4j.Logger;

/**
 * Sends Chronicle's warnings and errors to stderr. Chronicle logs through SLF4J, and with no SLF4J
 * provider on the class path (mproc brings none) they would go nowhere; its performance and debug
 * notes ("Took 29 ms to add mapping ...") stay silent. Used by the journal and by anything else in
 * the JVM that opens a Chronicle queue directly (the benchmarks' raw Chronicle peer).
 */
public final class ChronicleStderr {
    private ChronicleStderr() {
    }

    /** Installs the handlers; idempotent. */
    public static void install() {
        Jvm.setWarnExceptionHandler(Handler.WARN);
        Jvm.setErrorExceptionHandler(Handler.ERROR);
    }

    private enum Handler implements ExceptionHandler {
        WARN, ERROR;

        @Override
        public void on(final Class<?> clazz, final String message, final Throwable thrown) {
            print(clazz.getName(), message, thrown);
        }

        @Override
        public void on(final Logger logger, final String message, final Throwable thrown) {
            print(logger.getName(), message, thrown);
        }

        private void print(final String source, final String message, final Throwable thrown) {
            System.err.println("Chronicle " + name() + " " + source + ": " + message);
            if (thrown != null) {
                thrown.printStackTrace();
            }
        }
    }
}
