package dev.mproc.process;

/**
 * The entry point of every JVM that {@link Process} starts; not for direct use. It reads its
 * task from standard input (see {@link ChildSpec}), runs it, and exits with Python's codes: 0
 * when the task returns, 1 when it throws (after printing the exception and reporting it to the
 * parent). If the parent disappears, even by SIGKILL, the child notices at once (its standard
 * input reaches end of file) and exits.
 */
public final class ChildMain {

    private ChildMain() {
    }

    /**
     * @param args {@code --spare <directory>} in a JVM started ahead of need (see {@code SpareJvms});
     *             {@code --aot-build ...} or {@code --aot-check} in the JVMs that build and check
     *             a start-up cache (see {@code AotCache}); everything else comes through standard input
     */
    public static void main(final String[] args) {
        if (args.length > 0 && AotCache.BUILD_ARGUMENT.equals(args[0])) {
            System.exit(AotCache.build(args));
            return;
        }
        if (args.length > 0 && AotCache.CHECK_ARGUMENT.equals(args[0])) {
            return;
        }
        final boolean spare = args.length > 1 && SpareJvms.SPARE_ARGUMENT.equals(args[0]);
        ChildRuntime.run(spare ? java.nio.file.Path.of(args[1]) : null);
    }
}
