package dev.mproc.benchmarks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsOutputTest {
    private final Map<String, PeerValue> figures = LimitsOutput.parse(Samples.text(Samples.LIMITS));

    @Test
    void shouldGiveOneKeyPerStatisticOfADistribution() {
        final String prefix = "pingpong_spin.spin_rtt_mode_2lines_pause_1.";
        assertEquals(new PeerValue(List.of(295.385), "ns"), figures.get(prefix + "p50"));
        assertEquals(310.0, figures.get(prefix + "p90").median());
        assertEquals(349.231, figures.get(prefix + "p99.9").median());
        assertEquals(23149692.254, figures.get(prefix + "max").median());
        assertFalse(figures.containsKey(prefix + "n"), "the sample count is not a figure");
    }

    @Test
    void shouldKeepTheUnitOfEachDistribution() {
        assertEquals("us", figures.get("pingpong_futex.futex_rtt_mode_always_block_spin_0_2cpus.p50").unit());
        assertEquals(43.230, figures.get("pingpong_futex.futex_rtt_mode_always_block_spin_0_2cpus.p50").median());
        assertEquals(0.428, figures.get("pingpong_futex.futex_rtt_mode_spin_then_park_spin_2000_2cpus.p50").median());
    }

    @Test
    void shouldCollectRepeatedSingleValuesUnderOneKey() {
        final PeerValue lock = figures.get("locks.uncontended_cas_lock_unlock_counter");
        assertEquals(List.of(8.47, 7.50, 7.35), lock.values());
        assertEquals("ns/op", lock.unit());
        assertEquals(7.50, lock.median());
        assertEquals(3, figures.get("locks.uncontended_futex_mutex_cas_lock_xadd_unlock_no_syscall").values().size());
    }

    @Test
    void shouldKeepEveryUncontendedLockFlavourApart() {
        assertEquals(List.of(15.26, 16.04, 15.87), figures.get("locks.uncontended_pthread_pshared_mutex").values());
        assertEquals("ns/op", figures.get("locks.uncontended_pthread_pshared_mutex").unit());
        assertEquals(List.of(0.23, 0.23, 0.24), figures.get("locks.baseline_loop_counter_only").values());
    }

    @Test
    void shouldGiveOneHandoffDistributionPerProcessAndKind() {
        // handoff.c prints one line per process; the sync workloads compare side A with proc0, B with proc1.
        assertEquals(new PeerValue(List.of(198.846), "ns"), figures.get("handoff.handoff_spin_proc0_linger_20us.p50"));
        assertEquals(188.077, figures.get("handoff.handoff_spin_proc1_linger_20us.p50").median());
        assertEquals(2259.617, figures.get("handoff.handoff_spin_proc1_linger_20us.p99").median());
        assertEquals(22183.846, figures.get("handoff.handoff_futex_proc0_linger_20us.p50").median());
        assertEquals(152785560.951, figures.get("handoff.handoff_futex_proc1_linger_20us.max").median());
        assertEquals("ns", figures.get("handoff.handoff_futex_proc1_linger_20us.p99.9").unit());
        assertFalse(figures.containsKey("handoff.handoff_futex_proc0_linger_20us.n"));
    }

    @Test
    void shouldTakeUnitsOutOfFreeFormLines() {
        assertEquals(82.5, figures.get("spsc.spsc_var_f_b_64_cap_16384.m_msg_s").median());
        assertEquals(2.64, figures.get("spsc.spsc_var_f_b_64_cap_16384.gb_s").median());
        assertEquals(0.303, figures.get("kipc.uds_thr_64b_2cpus.m_msg_s").median());
        assertEquals(12.31, figures.get("memcpy_bw.memcpy_1mib_blocks_working_set_1_mib_x2.gb_s").median());
        assertEquals(85.2, figures.get("memcpy_bw.memcpy_1mib_blocks_working_set_1_mib_x2.us").median());
    }

    @Test
    void shouldIgnoreLinesThatAreNotLimits() {
        final Map<String, PeerValue> parsed = LimitsOutput.parse("gcc: warning: something\nlimit x: y: 3 ns\n\n");
        assertEquals(Map.of("x.y", new PeerValue(List.of(3.0), "ns")), parsed);
        assertTrue(LimitsOutput.parse("").isEmpty());
    }

    @Test
    void shouldSlugLabels() {
        assertEquals("uncontended_cas_lock_unlock_counter", LimitsOutput.slug("uncontended CAS lock+unlock (+counter++)"));
        assertEquals("futex_rtt_mode_always_block_spin_0_2cpus", LimitsOutput.slug("futex_rtt mode=always-block spin=0 2cpus"));
    }
}
