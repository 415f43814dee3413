package dev.mproc.core;

import java.util.List;

/**
 * JVM options that a library on the class path needs in every JVM that uses it. mproc's process
 * module finds the implementations with {@link java.util.ServiceLoader} and adds their options to
 * the command line of each child JVM it starts (those the child does not already get), so a
 * worker can use the library even when the parent JVM does not. The journal module provides one
 * for Chronicle Queue's {@code --add-exports}/{@code --add-opens}.
 * <p>
 * An implementation needs a public no-argument constructor and a line naming it in
 * {@code META-INF/services/dev.mproc.core.ChildJvmOptions} (or a {@code provides} clause).
 */
public interface ChildJvmOptions {

    /**
     * @return the options, each one command-line argument in its {@code --name=value} form
     *         (e.g. {@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED})
     */
    List<String> jvmOptions();
}
