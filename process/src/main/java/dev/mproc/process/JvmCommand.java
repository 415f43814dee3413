package dev.mproc.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    private static volatile List<String> inherited;

    private JvmCommand() {
    }

    /**
     * @param childOptions options for this child, after (and so overriding) the inherited ones
     * @param lean         add the defaults of a lean, quick-starting JVM (serial collector)
     *                     unless this JVM or {@code childOptions} chose a collector
     * @return the whole command, entry point last
     */
    static List<String> forChild(final List<String> childOptions, final boolean lean) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> fromParent = inheritedOptions();
        if (lean && !choosesCollector(fromParent) && !choosesCollector(childOptions)) {
            // The serial collector starts fastest and keeps the smallest footprint: the right
            // default for a worker JVM; a program that chose another collector keeps its choice.
            command.add("-XX:+UseSerialGC");
        }
        command.addAll(fromParent);
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
            } else if (isKept(argument)) {
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

    private static boolean choosesCollector(final List<String> options) {
        for (final String option : options) {
            if (option.startsWith(GC_SELECTOR) && option.endsWith("GC")) {
                return true;
            }
        }
        return false;
    }
}
