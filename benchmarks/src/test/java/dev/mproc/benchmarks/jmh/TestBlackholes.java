package dev.mproc.benchmarks.jmh;

import org.openjdk.jmh.infra.Blackhole;

/** Blackholes for calling benchmark methods directly, outside a JMH run. */
final class TestBlackholes {
    private TestBlackholes() {
    }

    /** @return a blackhole; JMH demands this exact sentence to show the caller knows it is not a benchmark */
    static Blackhole create() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
