package dev.mproc.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import dev.mproc.core.ChildJvmOptions;

/**
 * The command line of a child JVM: the same {@code java} binary, class path and module path as
 * this JVM, the options of this JVM that describe the program rather than this one run of it,
 * then the caller's own options, then the child entry point.
 *
 * <p>Inherited: heap and stack sizes, {@code -D} properties, assertions, garbage collector
 * choice, module options ({@code --add-opens} and friends, {@code --enable-native-access},
 * {@code --enable-preview}). Not inherited: agents ({@code -agentlib:jdwp} would make every
 * child try to bind the debugger's port), flight recordings, diagnostic output files: anything
 * that names one process's resource. Options given for the child come last, so they win.
 */
final class JvmCommand {

    /** Options whose value is the next argument, as the launcher also accepts them. */
    private static final List<String> TWO_PART_MODULE_OPTIONS = List.of(
        "--add-opens", "--add-exports", "--add-reads", "--add-modules", "--enable-native-access",
        "--limit-modules", "--patch-module");

    private static final List<String> KEPT_PREFIXES = List.of(
        "-Xmx", "-Xms", "-Xss", "-Xmn", "-D", "-ea", "-da", "-esa", "-dsa", "-enableassertions",
        "-disableassertions", "-enablesystemassertions", "-disablesystemassertions",
        "--add-opens=", "--add-exports=", "--add-reads=", "--add-modules=", "--enable-native-access=",
        "--limit-modules=", "--patch-module=", "--enable-preview", "--sun-misc-unsafe-memory-access=",
        "-XX:MaxRAM", "-XX:InitialRAM", "-XX:MinRAM", "-XX:ActiveProcessorCount", "-XX:MaxDirectMemorySize",
        "-XX:+Use", "-XX:-Use", "-XX:+UnlockExperimentalVMOptions", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:+EnableDynamicAgentLoading", "-Xshare:", "-XX:SharedArchiveFile=", "-XX:AOTCache=");

    /** Internal properties that describe this JVM's own role, never a child's. */
    private static final List<String> DROPPED_PROPERTIES = List.of(
        "-Dmproc.child.", "-Djdk.module.", "-Dsun.", "-Djava.class.path=", "-Djdk.internal.");

    private static final String ENTRY_POINT = ChildMain.class.getName();
    private static final String GC_SELECTOR = "-XX:+Use";
    private static final String LEAN_INITIAL_HEAP = "-Xms8m";
    private static final long LEAN_INITIAL_HEAP_BYTES = 8L << 20;

    private static volatile List<String> inherited;
    private static volatile List<String> libraries;

    private JvmCommand() {
    }

    /**
     * @param childOptions options for this child, after (and so overriding) the inherited ones
     * @param lean         add the defaults of a lean, quick-starting JVM (serial collector)
     *                     unless this JVM or {@code childOptions} chose a collector
     * @return the whole command, entry point last
     */
    static List<String> forChild(final List<String> childOptions, final boolean lean) {
        return AotCache.apply(withoutCache(childOptions, lean));
    }

    /**
     * @return the command as {@link #forChild} builds it but without the start-up cache's
     *         options: what that cache is built for, and keyed by
     */
    static List<String> withoutCache(final List<String> childOptions, final boolean lean) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> fromParent = inheritedOptions();
        if (lean && !choosesCollector(fromParent) && !choosesCollector(childOptions)) {
            // The serial collector starts fastest and keeps the smallest footprint: the right
            // default for a worker JVM; a program that chose another collector keeps its choice.
            command.add("-XX:+UseSerialGC");
        }
        if (lean && !choosesInitialHeap(fromParent) && !choosesInitialHeap(childOptions)
            && allowsInitialHeap(fromParent) && allowsInitialHeap(childOptions)) {
            // The default initial heap is 1/64 of the machine's memory, and a young generation
            // sized from it lets an idle worker's heap pages pile up before its first collection:
            // start small and let the heap grow on demand (an idle worker: ~65 -> ~58 MB RSS).
            command.add(LEAN_INITIAL_HEAP);
        }
        command.addAll(fromParent);
        for (final String option : libraryOptions()) {
            // Native access is granted below for every child anyway.
            if (!option.startsWith("--enable-native-access") && !fromParent.contains(option)
                && !childOptions.contains(option)) {
                command.add(option);
            }
        }
        final Module module = ChildMain.class.getModule();
        final String classPath = System.getProperty("java.class.path", "");
        final String modulePath = System.getProperty("jdk.module.path", "");
        // FFM calls in core would print a warning per JVM without this; the children of a JVM that
        // already silenced it need it just as much.
        command.add("--enable-native-access=" + (module.isNamed() ? "ALL-UNNAMED,dev.mproc.core" : "ALL-UNNAMED"));
        command.addAll(childOptions);
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        if (module.isNamed()) {
            command.add("--module-path");
            command.add(modulePath);
            // The tasks' classes may live in any module on the path: resolve them all.
            command.add("--add-modules");
            command.add("ALL-MODULE-PATH");
            command.add("-m");
            command.add(module.getName() + "/" + ENTRY_POINT);
        } else {
            command.add(ENTRY_POINT);
        }
        return command;
    }

    /**
     * @return what the libraries on this JVM's path ask every JVM using them to have
     *         ({@link ChildJvmOptions} providers, e.g. the journal's Chronicle flags), in load order
     */
    static List<String> libraryOptions() {
        List<String> options = libraries;
        if (options == null) {
            final List<String> found = new ArrayList<>();
            for (final ChildJvmOptions provider : ServiceLoader.load(ChildJvmOptions.class)) {
                for (final String option : provider.jvmOptions()) {
                    if (!found.contains(option)) {
                        found.add(option);
                    }
                }
            }
            options = List.copyOf(found);
            libraries = options;
        }
        return options;
    }

    /**
     * @return the options of this JVM that a child inherits, in their original order
     */
    static List<String> inheritedOptions() {
        List<String> options = inherited;
        if (options == null) {
            options = List.copyOf(filter(ManagementFactory.getRuntimeMXBean().getInputArguments()));
            inherited = options;
        }
        return options;
    }

    static List<String> filter(final List<String> arguments) {
        final List<String> kept = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            final String argument = arguments.get(i);
            if (TWO_PART_MODULE_OPTIONS.contains(argument) && i + 1 < arguments.size()) {
                kept.add(argument);
                kept.add(arguments.get(++i));
            } else if (isKept(argument) && !AotCache.isOwnOption(argument)) {
                // A child's own cache options are dropped: its children get theirs looked up afresh.
                kept.add(argument);
            }
        }
        return kept;
    }

    private static boolean isKept(final String argument) {
        for (final String dropped : DROPPED_PROPERTIES) {
            if (argument.startsWith(dropped)) {
                return false;
            }
        }
        for (final String prefix : KEPT_PREFIXES) {
            if (argument.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean choosesInitialHeap(final List<String> options) {
        for (final String option : options) {
            if (option.startsWith("-Xms") || option.startsWith("-XX:InitialHeapSize=")) {
                return true;
            }
        }
        return false;
    }

    /** @return false if a maximum heap below the lean initial heap is set (the JVM would refuse both) */
    private static boolean allowsInitialHeap(final List<String> options) {
        for (final String option : options) {
            if (option.startsWith("-Xmx") && bytes(option.substring(4)) < LEAN_INITIAL_HEAP_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** @return the size an -Xmx style value names ("256m"), or -1 if it does not parse */
    static long bytes(final String size) {
        if (size.isEmpty()) {
            return -1;
        }
        final char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        final int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            return Long.parseLong(shift == 0 ? size : size.substring(0, size.length() - 1)) << shift;
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private static boolean choosesCollector(final List<String> options) {
        for (final String option : options) {
            if (option.startsWith(GC_SELECTOR) && option.endsWith("GC")) {
                return true;
            }
        }
        return false;
    }
}
