package dev.mproc.benchmarks;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadsTest {
    private final Map<String, Map<String, PeerValue>> peerOutputs = Map.of(
        PeerRef.C_LIMITS, LimitsOutput.parse(Samples.text(Samples.LIMITS)),
        PeerRef.CPYTHON, PythonOutput.parse(Samples.text(Samples.PYTHON)));

    @Test
    void shouldPointEveryPeerReferenceAtAFigureThePeerPrints() {
        for (final Workload workload : Workloads.all()) {
            for (final Figure figure : workload.figures()) {
                for (final PeerRef ref : figure.peers()) {
                    if (JavaPeers.isJavaPeer(ref.source())) {
                        assertJavaPeerFigureExists(workload, figure, ref);
                        continue;
                    }
                    final PeerValue value = peerOutputs.get(ref.source()).get(ref.key());
                    assertNotNull(value, workload.name() + " / " + figure.name() + ": no " + ref.source() + " figure "
                        + ref.key());
                    assertTrue(Units.convertible(value.unit(), figure.unit()), workload.name() + " / " + figure.name()
                        + ": peer unit " + value.unit() + " does not convert to " + figure.unit());
                }
            }
        }
    }

    /** A Java peer's figure is another workload's: it must be registered, the peer's, and have that figure. */
    private static void assertJavaPeerFigureExists(final Workload workload, final Figure figure, final PeerRef ref) {
        final int slash = ref.key().indexOf('/');
        final String where = workload.name() + " / " + figure.name() + " -> " + ref.key();
        assertTrue(slash > 0, where);
        final Workload twin = Workloads.byName(ref.key().substring(0, slash));
        assertEquals(ref.source(), twin.peerSource(), where);
        final Figure theirs = twin.figures().stream().filter(f -> f.name().equals(ref.key().substring(slash + 1)))
            .findFirst().orElse(null);
        assertNotNull(theirs, where + ": no such figure");
        assertTrue(Units.convertible(theirs.unit(), figure.unit()), where + ": unit " + theirs.unit() + " vs " + figure.unit());
    }

    @Test
    void shouldSetTheSyncWorkloadsBesideTheCAndCPythonFiguresOfTheSameThing() {
        assertEquals(Set.of("locks.uncontended_cas_lock_unlock_counter", "locks.uncontended_pthread_pshared_mutex"),
            keys("lock-uncontended", PeerRef.C_LIMITS));
        assertEquals(Set.of("lock_uncontended_acquire_release"), keys("lock-uncontended", PeerRef.CPYTHON));
        assertEquals(handoffKeys("spin"), keys("lock-handoff-spin", PeerRef.C_LIMITS));
        assertEquals(handoffKeys("futex"), keys("lock-handoff-sleep", PeerRef.C_LIMITS));
        assertEquals(Set.of(), keys("lock-handoff-spin", PeerRef.CPYTHON), "CPython prints no hand-off figure");
        assertEquals(Set.of(), keys("lock-contended", PeerRef.C_LIMITS), "run.sh runs no contended lock");
        assertEquals(Set.of("value_locked_incr_2proc_total_throughput"), keys("lock-contended", PeerRef.CPYTHON));
        final Set<String> spinThenPark = new TreeSet<>();
        for (final String statistic : LatencyFigures.STATISTICS) {
            spinThenPark.add("pingpong_futex.futex_rtt_mode_spin_then_park_spin_2000_2cpus." + statistic);
        }
        assertEquals(spinThenPark, keys("event-pingpong", PeerRef.C_LIMITS));
        assertEquals(Set.of(), keys("event-pingpong", PeerRef.CPYTHON), "CPython prints no Event round trip");
    }

    @Test
    void shouldCompareSideAWithTheCProcessOnCpu0() {
        final Figure toA = figure("lock-handoff-spin", "handoff to A p50");
        assertEquals("handoff.handoff_spin_proc0_linger_20us.p50", toA.peer(PeerRef.C_LIMITS).orElseThrow().key());
        final Figure toB = figure("lock-handoff-sleep", "handoff to B p99");
        assertEquals("handoff.handoff_futex_proc1_linger_20us.p99", toB.peer(PeerRef.C_LIMITS).orElseThrow().key());
    }

    @Test
    void shouldConvertCPythonRatesToTheUnitsOfTheSyncFigures() {
        // 24595466 acquire+release pairs/s in the sample: 40.7 ns per pair.
        final Figure lock = figure("lock-uncontended", "Lock lock + counter++ + unlock");
        final PeerValue pairs = peerOutputs.get(PeerRef.CPYTHON).get(lock.peer(PeerRef.CPYTHON).orElseThrow().key());
        assertEquals(40.66, Units.convert(pairs.median(), pairs.unit(), lock.unit()), 0.01);
        // 1338265 locked increments/s in the sample: 1.34 M ops/s.
        final Figure rate = figure("lock-contended", "total throughput");
        final PeerValue incr = peerOutputs.get(PeerRef.CPYTHON).get(rate.peer(PeerRef.CPYTHON).orElseThrow().key());
        assertEquals(1.338, Units.convert(incr.median(), incr.unit(), rate.unit()), 0.001);
    }

    @Test
    void shouldSetTheIpcWorkloadsBesideTheCAndCPythonFiguresOfTheSameThing() {
        assertEquals(Set.of("spsc.spsc_var_f_b_64_cap_16384.m_msg_s", "kipc.uds_thr_64b_2cpus.m_msg_s"),
            keys("pipe-bytes-64b", PeerRef.C_LIMITS));
        assertEquals(Set.of("pipe_64B_send_bytes_throughput"), keys("pipe-bytes-64b", PeerRef.CPYTHON));
        assertEquals(Set.of("pipe_64B_send_recv_pickled_throughput"), keys("pipe-objects", PeerRef.CPYTHON));
        assertEquals(Set.of("queue_1p1c_int_throughput"), keys("queue-1p1c", PeerRef.CPYTHON));
        assertEquals(Set.of("queue_4p1c_int_throughput"), keys("queue-4p1c", PeerRef.CPYTHON));
        assertEquals(Set.of(), keys("queue-4p1c", PeerRef.C_LIMITS), "run.sh prints no MPSC figure");
        assertEquals(Set.of("memcpy_bw.memcpy_1mib_blocks_working_set_1_mib_x2.gb_s"),
            keys("pipe-bytes-1mib", PeerRef.C_LIMITS));
        assertEquals(Set.of("pipe_1MiB_send_bytes_throughput"), keys("pipe-bytes-1mib", PeerRef.CPYTHON));
        assertEquals(Set.of("memcpy_bw.memcpy_1mib_blocks_working_set_1_mib_x2.gb_s"),
            keys("queue-bytes-1mib", PeerRef.C_LIMITS));
        for (final String counter : List.of("shared-long-atomic", "shared-long-locked")) {
            assertEquals(Set.of("value_locked_incr_2proc_total_throughput"), keys(counter, PeerRef.CPYTHON), counter);
            assertEquals(Set.of(), keys(counter, PeerRef.C_LIMITS), counter);
        }
        assertEquals(Set.of("pipe_pingpong_rtt_median", "pipe_pingpong_rtt_p99"),
            keys("pipe-pingpong-spin", PeerRef.CPYTHON));
        assertEquals(rttKeys("pingpong_spin.spin_rtt_mode_2lines_pause_1."), keys("pipe-pingpong-spin", PeerRef.C_LIMITS));
        assertEquals(rttKeys("pingpong_futex.futex_rtt_mode_spin_then_park_spin_2000_2cpus."),
            keys("pipe-pingpong-default", PeerRef.C_LIMITS));
    }

    @Test
    void shouldConvertThePeersOfTheIpcFiguresToTheirUnits() {
        // The sample's 82.5 M msg/s C ring and 427141 msgs/s CPython pipe, in M msg/s.
        final Figure rate = figure("pipe-bytes-64b", "throughput");
        assertEquals(82.5, peerIn(rate, PeerRef.C_LIMITS), 1e-9);
        assertEquals(0.427141, peerIn(rate, PeerRef.CPYTHON), 1e-9);
        // 0.303 M msg/s through a Unix socket: 3300 ns per message.
        assertEquals(3300.3, peerIn(figure("pipe-bytes-64b", "time per message"), PeerRef.C_LIMITS), 0.1);
        // CPython's MB/s are 1e6 bytes, as our GB/s are 1e9: 1491.35 MB/s is 1.49135 GB/s.
        final Figure bytes = figure("pipe-bytes-1mib", "throughput");
        assertEquals(1.49135, peerIn(bytes, PeerRef.CPYTHON), 1e-9);
        assertEquals(12.31, peerIn(bytes, PeerRef.C_LIMITS), 1e-9);
        assertEquals(0.157774, peerIn(figure("queue-4p1c", "throughput"), PeerRef.CPYTHON), 1e-9);
        assertEquals(1.338265, peerIn(figure("shared-long-atomic", "total throughput"), PeerRef.CPYTHON), 1e-9);
        // 8.986 us median round trip through a CPython Pipe, in the spinning workload's ns.
        assertEquals(8986, peerIn(figure("pipe-pingpong-spin", "rtt p50"), PeerRef.CPYTHON), 1e-6);
    }

    @Test
    void shouldRunEachQueueProducerInAJvmOfItsOwnAwayFromTheConsumer() {
        final Workload four = Workloads.byName("queue-4p1c");
        assertEquals(5, four.sides(), "one consumer and four producer JVMs");
        assertEquals(2, Workloads.byName("queue-1p1c").sides());
        assertEquals(0, four.cpuOf(0, 2), "the consumer on CPU 0");
        for (int side = 1; side < 5; side++) {
            assertEquals(1, four.cpuOf(side, 2), "producer side " + side + " on the other CPU of two");
            final int cpu = four.cpuOf(side, 8);
            assertTrue(cpu >= 1 && cpu < 8, "producer side " + side + " off the consumer's CPU of eight: " + cpu);
        }
        assertEquals(Set.of(1, 2, 3, 4), Set.of(four.cpuOf(1, 8), four.cpuOf(2, 8), four.cpuOf(3, 8), four.cpuOf(4, 8)),
            "with CPUs to spare, one each");
    }

    private double peerIn(final Figure figure, final String source) {
        final PeerValue value = peerOutputs.get(source).get(figure.peer(source).orElseThrow().key());
        return Units.convert(value.median(), value.unit(), figure.unit());
    }

    private static Set<String> rttKeys(final String prefix) {
        final Set<String> keys = new TreeSet<>();
        for (final String statistic : LatencyFigures.STATISTICS) {
            keys.add(prefix + statistic);
        }
        return keys;
    }

    private static Set<String> keys(final String workload, final String source) {
        final Set<String> keys = new TreeSet<>();
        for (final Figure figure : Workloads.byName(workload).figures()) {
            figure.peer(source).ifPresent(ref -> keys.add(ref.key()));
        }
        return keys;
    }

    private static Set<String> handoffKeys(final String kind) {
        final Set<String> keys = new TreeSet<>();
        for (final String process : List.of("proc0", "proc1")) {
            for (final String statistic : LatencyFigures.STATISTICS) {
                keys.add("handoff.handoff_" + kind + "_" + process + "_linger_20us." + statistic);
            }
        }
        return keys;
    }

    private static Figure figure(final String workload, final String name) {
        return Workloads.byName(workload).figures().stream().filter(f -> f.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError(workload + " has no figure " + name));
    }

    @Test
    void shouldNameWorkloadsAndFiguresUniquely() {
        final Set<String> names = new HashSet<>();
        for (final Workload workload : Workloads.all()) {
            assertTrue(names.add(workload.name()), "duplicate workload " + workload.name());
            assertTrue(workload.name().matches("[a-z0-9-]+"), "a workload name is used on command lines: " + workload.name());
            final Set<String> figures = new HashSet<>();
            for (final Figure figure : workload.figures()) {
                assertTrue(figures.add(figure.name()), workload.name() + ": duplicate figure " + figure.name());
            }
            assertTrue(workload.sides() >= 1, workload.name() + " sides");
            for (int side = 0; side < workload.sides(); side++) {
                final int cpu = workload.cpuOf(side, 2);
                assertTrue(cpu == 0 || cpu == 1, workload.name() + " places side " + side + " on CPU " + cpu);
            }
            assertTrue(workload.iterations(true) > 0 && workload.iterations(false) >= workload.iterations(true));
        }
    }

    @Test
    void shouldFindWorkloadsByNameAndNameTheKnownOnesOtherwise() {
        assertEquals("pingpong-spin", Workloads.byName("pingpong-spin").name());
        assertEquals(2, Workloads.select(List.of("cas-uncontended", "pingpong-spin")).size());
        assertEquals(Workloads.all(), Workloads.select(List.of()));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.byName("nope"));
        assertTrue(e.getMessage().contains("pingpong-default"), e.getMessage());
    }
}
