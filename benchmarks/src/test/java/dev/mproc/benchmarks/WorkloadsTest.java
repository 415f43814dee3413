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
                    final PeerValue value = peerOutputs.get(ref.source()).get(ref.key());
                    assertNotNull(value, workload.name() + " / " + figure.name() + ": no " + ref.source() + " figure "
                        + ref.key());
                    assertTrue(Units.convertible(value.unit(), figure.unit()), workload.name() + " / " + figure.name()
                        + ": peer unit " + value.unit() + " does not convert to " + figure.unit());
                }
            }
        }
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
            assertTrue(workload.sides() == 1 || workload.sides() == 2, workload.name() + " sides");
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
