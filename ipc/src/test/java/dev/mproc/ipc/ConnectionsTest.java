package dev.mproc.ipc;

import dev.mproc.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionsTest {
    private Namespace namespace;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void tearDown() {
        namespace.close();
    }

    @Test
    void shouldReturnOnlyTheConnectionsThatHaveSomething() throws Exception {
        final Pipe a = Pipe.create(namespace);
        final Pipe b = Pipe.create(namespace);
        final Pipe c = Pipe.create(namespace);
        assertTrue(Connections.waitAny(List.of(a.left(), b.left(), c.left()), 0, TimeUnit.SECONDS).isEmpty());
        b.right().send("b");
        c.right().send("c");
        assertEquals("c", c.left().recv());
        c.right().close();
        assertEquals(List.of(b.left(), c.left()),
            Connections.waitAny(List.of(a.left(), b.left(), c.left()), 1, TimeUnit.SECONDS));
    }

    @Test
    void shouldWakeWhenAMessageArrivesLater() throws Exception {
        final Pipe a = Pipe.create(namespace);
        final Pipe b = Pipe.create(namespace);
        final CompletableFuture<List<Connection>> waiter = new CompletableFuture<>();
        final Thread thread = new Thread(() -> {
            try {
                waiter.complete(Connections.waitAny(List.of(a.left(), b.left())));
            } catch (final Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        thread.start();
        a.right().send(1);
        assertEquals(List.of(a.left()), waiter.get(10, TimeUnit.SECONDS));
        assertEquals(1, a.left().recv());
    }

    @Test
    void shouldRefuseEndsThatOnlySendAndEmptySets() {
        final Pipe oneWay = Pipe.create(namespace, false);
        assertThrows(IllegalArgumentException.class,
            () -> Connections.waitAny(List.of(oneWay.right()), 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> Connections.waitAny(List.of(), 0, TimeUnit.SECONDS));
    }
}
