package dev.mproc.benchmarks;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
        assertEquals(2, Workloads.select(java.util.List.of("cas-uncontended", "pingpong-spin")).size());
        assertEquals(Workloads.all(), Workloads.select(java.util.List.of()));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.byName("nope"));
        assertTrue(e.getMessage().contains("pingpong-default"), e.getMessage());
    }
}
