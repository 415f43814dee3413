package dev.mproc.process;

import java.util.List;

import dev.mproc.core.ChildJvmOptions;

/**
 * A library on the test class path that needs options in every JVM (as the journal does): found
 * through {@code META-INF/services}, its options must reach each child's command line.
 */
public final class TestLibraryOptions implements ChildJvmOptions {
    /** The property it asks for. */
    static final String OPTION = "-Dmproc.test.library=needed";

    /** For {@link java.util.ServiceLoader}. */
    public TestLibraryOptions() {
    }

    @Override
    public List<String> jvmOptions() {
        return List.of(OPTION, "--enable-native-access=ALL-UNNAMED");
    }
}
