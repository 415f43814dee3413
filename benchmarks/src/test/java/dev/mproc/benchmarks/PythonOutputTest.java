package dev.mproc.benchmarks;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PythonOutputTest {
    private final Map<String, PeerValue> figures = PythonOutput.parse(Samples.text(Samples.PYTHON));

    @Test
    void shouldReadNameValueUnitLines() {
        assertEquals(8.986, figures.get("pipe_pingpong_rtt_median").median());
        assertEquals("us", figures.get("pipe_pingpong_rtt_median").unit());
        assertEquals(24595466.0, figures.get("lock_uncontended_acquire_release").median());
        assertEquals("pairs/s", figures.get("lock_uncontended_acquire_release").unit());
    }

    @Test
    void shouldKeepTheWholeRestOfTheLineAsTheUnit() {
        assertEquals("(expected 20000)", figures.get("value_locked_incr_final_value").unit());
    }

    @Test
    void shouldSkipCommentsAndValuesThatAreNotNumbers() {
        assertFalse(figures.containsKey("env_python"), "the version is text");
        assertFalse(figures.containsKey("#"));
        assertEquals(Map.of(), PythonOutput.parse("# only a comment\nenv_default_start_method fork -\n"));
    }
}
