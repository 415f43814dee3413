package dev.mproc.process;

import dev.mproc.core.SerializableRunnable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a Process is before it starts, and the pieces of start-up that need no child JVM. */
class ProcessBasicsTest {

    @Test
    void shouldMapExitStatusesToPythonsExitCodes() {
        assertEquals(0, Process.pythonExitCode(0));
        assertEquals(1, Process.pythonExitCode(1));
        assertEquals(-9, Process.pythonExitCode(128 + 9));
        assertEquals(-15, Process.pythonExitCode(128 + 15));
        assertEquals(128, Process.pythonExitCode(128));
        assertEquals(200, Process.pythonExitCode(200));
    }

    @Test
    void shouldNameTheMainProcessAsPythonDoes() {
        final Process main = Process.current();
        assertEquals("MainProcess", main.name());
        assertTrue(main.isAlive());
        assertEquals(ProcessHandle.current().pid(), main.pid());
        assertNull(main.exitCode());
        assertThrows(IllegalStateException.class, main::start);
        assertThrows(IllegalStateException.class, main::join);
    }

    @Test
    void shouldNumberChildrenAndReportTheirStateBeforeStart() {
        final Process first = Process.create(null, () -> { }, Path.of("/tmp"));
        final Process second = Process.create("worker", () -> { }, Path.of("/tmp"));
        assertTrue(first.name().matches("Process-\\d+"), first.name());
        assertEquals("worker", second.name());
        assertFalse(first.isAlive());
        assertNull(first.exitCode());
        assertNull(first.failure());
        final IllegalStateException noPid = assertThrows(IllegalStateException.class, first::pid);
        assertTrue(noPid.getMessage().contains("not started"), noPid.getMessage());
        assertThrows(IllegalStateException.class, first::join);
        first.setDaemon(true);
        assertTrue(first.isDaemon());
    }

    @Test
    void shouldRefuseATargetThatCannotBeSerialisedSayingWhatToDo() {
        final Object notSerialisable = new Object();
        final SerializableRunnable capturing = () -> notSerialisable.hashCode();
        final Process process = Process.create(null, capturing, Path.of("/tmp"));
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, process::start);
        assertTrue(refused.getMessage().contains("java.lang.Object"), refused.getMessage());
        assertTrue(refused.getMessage().contains("SerializableCallable"), refused.getMessage());
        assertFalse(process.isAlive());
    }

    @Test
    void shouldInheritProgramOptionsButNeverAnAgentOrThisJvmsOwnFiles() {
        final List<String> kept = JvmCommand.filter(List.of(
            "-Xmx256m", "-Dapp.mode=test", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
            "-javaagent:/opt/agent.jar", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseG1GC", "-XX:StartFlightRecording=filename=x.jfr",
            "-XX:HeapDumpPath=/tmp/dump", "-ea", "-Dmproc.child.namespace=/x", "-Djdk.module.main=x",
            "--enable-native-access=ALL-UNNAMED", "-Xlog:gc:file=gc.log"));
        assertEquals(List.of("-Xmx256m", "-Dapp.mode=test", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-XX:+UseG1GC", "-ea",
            "--enable-native-access=ALL-UNNAMED"), kept);
    }

    @Test
    void shouldBuildACommandThatRunsTheChildEntryPointWithTheChildsOptionsLast() {
        final List<String> command = JvmCommand.forChild(List.of("-Xmx99m"), true);
        assertTrue(command.getFirst().endsWith("/bin/java"), command.getFirst());
        assertEquals(ChildMain.class.getName(), command.getLast());
        assertTrue(command.contains("-Xmx99m"));
        assertTrue(command.indexOf("-Xmx99m") > command.indexOf("-XX:+UseSerialGC"));
        assertTrue(command.stream().noneMatch(option -> option.startsWith("-agentlib")));
        assertFalse(JvmCommand.forChild(List.of("-XX:+UseParallelGC"), true).contains("-XX:+UseSerialGC"));
    }

    @Test
    void shouldGiveEveryChildTheOptionsLibrariesOnThePathAskForOnce() {
        final List<String> command = JvmCommand.forChild(List.of(), true);
        assertEquals(1, command.stream().filter(TestLibraryOptions.OPTION::equals).count(), command.toString());
        // Native access is granted to every child anyway: a library asking for it adds nothing.
        final long inherited = JvmCommand.inheritedOptions().stream().filter(o -> o.startsWith("--enable-native-access"))
            .count();
        assertEquals(inherited + 1, command.stream().filter(o -> o.startsWith("--enable-native-access")).count(),
            command.toString());
        final List<String> given = JvmCommand.forChild(List.of(TestLibraryOptions.OPTION), true);
        assertEquals(1, given.stream().filter(TestLibraryOptions.OPTION::equals).count(), given.toString());
        assertTrue(command.indexOf(TestLibraryOptions.OPTION) < command.indexOf(ChildMain.class.getName()));
    }

    @Test
    void shouldStartLeanChildrenWithASmallHeapUnlessTheProgramSizedItOrCannot() {
        assertTrue(JvmCommand.forChild(List.of(), true).contains("-Xms8m"));
        assertFalse(JvmCommand.forChild(List.of(), false).contains("-Xms8m"));
        assertFalse(JvmCommand.forChild(List.of("-Xms64m"), true).contains("-Xms8m"));
        assertFalse(JvmCommand.forChild(List.of("-Xmx4m"), true).contains("-Xms8m"));
        assertTrue(JvmCommand.forChild(List.of("-Xmx1g"), true).contains("-Xms8m"));
        assertEquals(256L << 20, JvmCommand.bytes("256m"));
        assertEquals(2L << 30, JvmCommand.bytes("2G"));
        assertEquals(4096, JvmCommand.bytes("4096"));
        assertEquals(-1, JvmCommand.bytes("lots"));
    }
}
