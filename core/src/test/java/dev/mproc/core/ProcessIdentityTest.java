package dev.mproc.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process identity is what every liveness decision rests on (lock recovery, namespace sweeping,
 * temp-file cleanup): a live process must be recognised, and a dead one, or a pid recycled by an
 * unrelated process, must never be taken for alive.
 */
class ProcessIdentityTest {

    @Test
    void shouldDescribeTheCurrentProcessAsAlive() {
        final ProcessIdentity me = ProcessIdentity.current();

        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.isAlive());
        assertSame(me, ProcessIdentity.current(), "computed once");
        assertEquals(Optional.of(me), ProcessIdentity.lookup(me.pid()));
        assertTrue(me.toString().contains(Long.toString(me.pid())), me.toString());
    }

    @Test
    void shouldNotTakeARecycledPidForTheProcessThatHadIt() {
        final ProcessIdentity me = ProcessIdentity.current();

        // Same pid, another start time: what a dead process's identity looks like once the kernel
        // has handed its pid to somebody else.
        assertFalse(new ProcessIdentity(me.pid(), me.startTime() + 1).isAlive());
        assertFalse(new ProcessIdentity(me.pid(), me.startTime() - 1).isAlive());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportAKilledChildAsDead() throws Exception {
        final Process child = new ProcessBuilder("sleep", "60").start();
        try {
            final ProcessIdentity identity = ProcessIdentity.lookup(child.pid()).orElseThrow();
            assertTrue(identity.isAlive(), "a running child is alive");
            assertEquals(child.pid(), identity.pid());

            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");

            assertFalse(identity.isAlive(), "a killed and reaped child is dead");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFindNoIdentityForThePidOfAFinishedChild() throws Exception {
        final Process child = new ProcessBuilder("true").start();
        try {
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not finish");
            assertEquals(0, child.exitValue());

            // Linux hands out pids in increasing order, so the pid is not reused this soon.
            assertEquals(Optional.empty(), ProcessIdentity.lookup(child.pid()));
            assertEquals(-1, ProcessIdentity.readStartTime(child.pid()));
            assertFalse(new ProcessIdentity(child.pid(), 12_345).isAlive());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldFindNoIdentityForAPidThatCannotExist() {
        // Above any pid_max Linux allows (2^22).
        assertEquals(Optional.empty(), ProcessIdentity.lookup(1L << 40));
        assertFalse(new ProcessIdentity(1L << 40, 1).isAlive());
    }

    @Test
    void shouldCompareByPidAndStartTime() {
        final ProcessIdentity a = new ProcessIdentity(42, 1_000);
        final ProcessIdentity same = new ProcessIdentity(42, 1_000);

        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertEquals(a, a);
        assertNotEquals(a, new ProcessIdentity(43, 1_000));
        assertNotEquals(a, new ProcessIdentity(42, 1_001));
        assertNotEquals(a, null);
        assertNotEquals(a, "pid 42 (start 1000)");
        assertEquals(42, a.pid());
        assertEquals(1_000, a.startTime());
    }

    @Test
    void shouldRejectANonPositivePid() {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> new ProcessIdentity(0, 1));
        assertTrue(zero.getMessage().contains("pid=0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProcessIdentity(-7, 1));
    }

    @Test
    void shouldSurviveSerialisationAsTheSameIdentity() throws IOException, ClassNotFoundException {
        // Identities travel inside handles to child processes.
        final ProcessIdentity me = ProcessIdentity.current();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(me);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            final ProcessIdentity copy = (ProcessIdentity) in.readObject();
            assertEquals(me, copy);
            assertTrue(copy.isAlive());
        }
    }
}
