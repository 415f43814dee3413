package dev.mproc.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options Chronicle Queue 2026.4 needs on JDK 25, and the check that this JVM was started
 * with them, made before any Chronicle class loads.
 * <p>
 * Why check up front: without the options Chronicle fails deep inside its file mapping with an
 * {@link IllegalAccessError} or {@link IllegalAccessException} that names a JDK-internal class and
 * not the option that is missing. {@link #check()} names every missing option instead.
 * <p>
 * What each option is for (each verified by leaving it out, see the benchmarks' Chronicle peer):
 * <ul>
 *   <li>{@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED}: Chronicle maps its files through
 *   {@code sun.nio.ch.FileChannelImpl}; required.</li>
 *   <li>{@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED}: Chronicle reaches the JDK's
 *   {@code map0} by reflection; required.</li>
 *   <li>{@code --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED}: Chronicle's buffer cleaner;
 *   without it every JVM logs a warning.</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: jffi under Chronicle's posix layer loads a
 *   native library; without it JDK 25 warns (a later JDK refuses).</li>
 *   <li>{@code --sun-misc-unsafe-memory-access=allow}: Chronicle uses {@code sun.misc.Unsafe}
 *   memory access, which JDK 25 warns about without it. Not checked: the JDK offers no API to
 *   ask whether it was given, and leaving it out only costs a warning.</li>
 *   <li>{@code -Dchronicle.analytics.disable=true}: Chronicle's usage reporting off. Not checked
 *   either: {@link DurableQueue} sets the property itself before Chronicle loads.</li>
 * </ul>
 * <p>
 * Child JVMs: every child JVM that mproc's process module starts while this module is on the
 * class path gets these options, whether or not its parent has them: the module offers them as a
 * {@link dev.mproc.core.ChildJvmOptions} service ({@link JournalChildJvmOptions}), which the process
 * module adds to each child's command line. (A parent's own {@code --add-*} options are passed on
 * as well.)
 */
public final class JournalJvmOptions {
    /** Every option of the class comment, in the order a command line would carry them. */
    public static final List<String> REQUIRED = List.of(
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true");

    private static volatile boolean checked;

    private JournalJvmOptions() {
    }

    /**
     * Lists the checkable options this JVM lacks, for the module that holds the journal's classes
     * (the unnamed module when they are on the class path).
     *
     * @return the missing options, empty when all are there
     */
    public static List<String> missing() {
        final Module javaBase = Object.class.getModule();
        final Module journal = JournalJvmOptions.class.getModule();
        final List<String> missing = new ArrayList<>();
        if (!javaBase.isExported("sun.nio.ch", journal)) {
            missing.add(REQUIRED.get(0));
        }
        if (!javaBase.isExported("jdk.internal.ref", journal)) {
            missing.add(REQUIRED.get(1));
        }
        if (!javaBase.isOpen("java.lang.reflect", journal)) {
            missing.add(REQUIRED.get(2));
        }
        if (!journal.isNativeAccessEnabled()) {
            missing.add(REQUIRED.get(3));
        }
        return missing;
    }

    /**
     * Checks that this JVM has the options Chronicle needs; cheap after the first success.
     *
     * @throws IllegalStateException naming every missing option, and the full list to add
     */
    public static void check() {
        if (checked) {
            return;
        }
        final List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the journal (Chronicle Queue) needs JVM options this JVM was not"
                + " started with: missing " + String.join(" ", missing) + "; start the JVM with "
                + String.join(" ", REQUIRED));
        }
        checked = true;
    }
}
