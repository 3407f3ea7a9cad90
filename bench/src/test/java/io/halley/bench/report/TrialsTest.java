package io.halley.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrialsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        Trials t = new Trials(List.of(5.0, 1.0, 3.0, 4.0, 2.0));
        assertEquals(3.0, t.median());
        assertEquals(1.0, t.min());
        assertEquals(5.0, t.max());
        assertEquals(5, t.count());
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, new Trials(List.of(4.0, 1.0, 3.0, 2.0)).median());
    }

    @Test
    void spreadIsTheRangeOverTheMedian() {
        Trials t = new Trials(List.of(90.0, 100.0, 110.0));
        assertEquals(0.20, t.spread(), 1e-12);
        assertFalse(t.flagged(), "exactly 20% is not over 20%");
        assertEquals("90.0–110.0, spread 20%", t.range(1));
    }

    @Test
    void aSpreadOverTwentyPercentIsFlagged() {
        Trials t = new Trials(List.of(100.0, 100.0, 100.0, 100.0, 121.0));
        assertEquals(0.21, t.spread(), 1e-12);
        assertTrue(t.flagged());
    }

    @Test
    void oneTrialOrEqualTrialsHaveNoSpread() {
        assertEquals(0, new Trials(List.of(7.0)).spread());
        assertEquals(0, new Trials(List.of(0.0, 0.0)).spread());
        assertFalse(new Trials(List.of(0.0, 0.0)).flagged());
    }

    @Test
    void trialsAroundAZeroMedianThatDifferAreFlagged() {
        Trials t = new Trials(List.of(0.0, 0.0, 1.0));
        assertEquals(Double.POSITIVE_INFINITY, t.spread());
        assertTrue(t.flagged());
    }

    @Test
    void noTrialsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Trials(List.of()));
    }
}
