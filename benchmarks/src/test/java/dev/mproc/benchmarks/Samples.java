package dev.mproc.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Real outputs of the peer programs, captured on this machine, for parser and report tests.
 */
final class Samples {
    static final String LIMITS = "limits-quick-sample.txt";
    static final String PYTHON = "python-baseline-sample.txt";

    private Samples() {
    }

    static String text(final String name) {
        try (InputStream in = Samples.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(final String name) {
        try {
            return Path.of(Samples.class.getResource(name).toURI());
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
