package dev.mproc.benchmarks.workloads;

import java.util.ArrayList;
import java.util.List;

import dev.mproc.benchmarks.PeerRef;

/**
 * The peer figures the workloads are compared against, as keys of the C limits' and the CPython
 * baseline's parsed output (the report's appendices list every key; WorkloadsTest checks each key
 * a workload names against real output captured on this machine).
 */
final class PeerKeys {
    /** C busy-spin ping-pong, two cache lines, pause in the loop: {@code pingpong_spin N 0 1}. */
    static final String C_SPIN_RTT = "pingpong_spin.spin_rtt_mode_2lines_pause_1.";
    /** C futex ping-pong, both sides always sleep: {@code pingpong_futex N 0 0 0}. */
    static final String C_FUTEX_ALWAYS_BLOCK_RTT = "pingpong_futex.futex_rtt_mode_always_block_spin_0_2cpus.";
    /** C futex ping-pong, spin about 27 us then sleep: {@code pingpong_futex N 1 2000 0}. */
    static final String C_FUTEX_SPIN_THEN_PARK_RTT = "pingpong_futex.futex_rtt_mode_spin_then_park_spin_2000_2cpus.";
    /** C uncontended CAS lock + counter++ + release-store unlock, single thread: {@code locks uncontended}. */
    static final String C_CAS_LOCK_UNLOCK = "locks.uncontended_cas_lock_unlock_counter";
    /** C uncontended {@code PTHREAD_PROCESS_SHARED} mutex lock + counter++ + unlock: {@code locks uncontended}. */
    static final String C_PTHREAD_MUTEX = "locks.uncontended_pthread_pshared_mutex";
    /**
     * C lock hand-off, waiter spinning (TTAS + pause), holder lingering 20 us: {@code handoff spin N 20}.
     * One distribution per process; proc0 runs on CPU 0 like side A, proc1 on CPU 1 like side B.
     */
    static final String C_HANDOFF_SPIN_PROC0 = "handoff.handoff_spin_proc0_linger_20us.";
    static final String C_HANDOFF_SPIN_PROC1 = "handoff.handoff_spin_proc1_linger_20us.";
    /** C lock hand-off, waiter asleep in FUTEX_WAIT (Drepper mutex, no spin): {@code handoff futex N 20}. */
    static final String C_HANDOFF_FUTEX_PROC0 = "handoff.handoff_futex_proc0_linger_20us.";
    static final String C_HANDOFF_FUTEX_PROC1 = "handoff.handoff_futex_proc1_linger_20us.";
    /** C SPSC ring between two processes, 32-byte messages in 64-byte slots: {@code spsc N F 64 16384}. */
    static final String C_SPSC_THROUGHPUT = "spsc.spsc_var_f_b_64_cap_16384.m_msg_s";
    /** C Unix domain socket stream, 64-byte messages, two CPUs: {@code kipc uds thr N 0}. */
    static final String C_UDS_THROUGHPUT = "kipc.uds_thr_64b_2cpus.m_msg_s";
    /** C memcpy of 1 MiB blocks, source and destination in cache: {@code memcpy_bw 1048576 2000}. */
    static final String C_MEMCPY_1MIB = "memcpy_bw.memcpy_1mib_blocks_working_set_1_mib_x2.gb_s";
    /** CPython {@code Pipe(duplex=False)}, {@code send_bytes} / {@code recv_bytes} of 64 bytes. */
    static final String PY_PIPE_64B_BYTES = "pipe_64B_send_bytes_throughput";
    /** CPython {@code Pipe(duplex=False)}, {@code send} / {@code recv} of a pickled 64-byte bytes object. */
    static final String PY_PIPE_64B_PICKLED = "pipe_64B_send_recv_pickled_throughput";
    /** CPython {@code Pipe(duplex=False)}, {@code send_bytes} / {@code recv_bytes} of 1 MiB, in MB/s (1e6 bytes). */
    static final String PY_PIPE_1MIB_BYTES = "pipe_1MiB_send_bytes_throughput";
    /** CPython {@code Queue}, 1 producer process, 1 consumer process, small ints. */
    static final String PY_QUEUE_1P1C = "queue_1p1c_int_throughput";
    /** CPython {@code Queue}, 4 producer processes, 1 consumer process, small ints. */
    static final String PY_QUEUE_4P1C = "queue_4p1c_int_throughput";
    /** CPython {@code Pipe} ping-pong round trip, 8 bytes: median and p99. */
    static final String PY_PIPE_RTT_MEDIAN = "pipe_pingpong_rtt_median";
    static final String PY_PIPE_RTT_P99 = "pipe_pingpong_rtt_p99";
    /** CPython {@code multiprocessing.Lock} acquire + release, uncontended. */
    static final String PY_LOCK_UNCONTENDED = "lock_uncontended_acquire_release";
    /** CPython, 2 processes each doing {@code with v.get_lock(): v.value += 1} on one shared Value. */
    static final String PY_LOCKED_INCREMENT = "value_locked_incr_2proc_total_throughput";
    /** CPython {@code Process(target=noop).start(); join()} with spawn (a fresh interpreter): median and min, ms. */
    static final String PY_PROCESS_SPAWN_MEDIAN = "process_start_join_spawn_median";
    static final String PY_PROCESS_SPAWN_MIN = "process_start_join_spawn_min";
    static final String PY_PROCESS_FORKSERVER_MEDIAN = "process_start_join_forkserver_median";
    /** CPython {@code Pool(2); close(); join()} with spawn, median, ms. */
    static final String PY_POOL_STARTUP_SPAWN = "pool2_startup_shutdown_spawn_median";
    /** CPython {@code Pool(2); apply(noop); close(); join()} with spawn, median, ms. */
    static final String PY_POOL_FIRST_TASK_SPAWN = "pool2_startup_first_task_shutdown_spawn_median";
    /** CPython {@code Pool(2).map(trivial, range(1 M))}, default chunksize, tasks/s (pool made and warmed first). */
    static final String PY_POOL_MAP_DEFAULT = "pool2_map_default_chunksize_throughput";
    /** CPython {@code Pool(2).map(trivial, range(100 K), chunksize=1)}, tasks/s. */
    static final String PY_POOL_MAP_CHUNK1 = "pool2_map_chunksize1_throughput";

    private PeerKeys() {
    }

    /**
     * @param cPrefix   the C distribution's key prefix (ending in '.')
     * @param cLabel    what the C figure is called in the report
     * @param statistic p50, p90, p99, p99.9 or max
     * @return the C figure of that statistic, and CPython's Pipe round trip where it prints one
     */
    static List<PeerRef> rttPeers(final String cPrefix, final String cLabel, final String statistic) {
        final List<PeerRef> peers = new ArrayList<>();
        peers.add(PeerRef.cLimit(cPrefix + statistic, cLabel + " " + statistic));
        if (statistic.equals("p50")) {
            peers.add(PeerRef.cpython(PY_PIPE_RTT_MEDIAN, "Pipe ping-pong median"));
        } else if (statistic.equals("p99")) {
            peers.add(PeerRef.cpython(PY_PIPE_RTT_P99, "Pipe ping-pong p99"));
        }
        return peers;
    }
}
