package dev.mproc.journal;

import java.util.List;

import dev.mproc.core.ChildJvmOptions;

/**
 * Tells mproc's process module that a JVM using the journal needs {@link JournalJvmOptions#REQUIRED}:
 * every child JVM it starts while this module is on the class path gets them, so a worker can
 * open a {@link DurableQueue} even when its parent was started without them.
 */
public final class JournalChildJvmOptions implements ChildJvmOptions {
    /** For {@link java.util.ServiceLoader}. */
    public JournalChildJvmOptions() {
    }

    @Override
    public List<String> jvmOptions() {
        return JournalJvmOptions.REQUIRED;
    }
}
