package io.halley.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void aTransportSettlesWhenTwoWindowsAgreeWithinFifteenPercent() {
        assertTrue(WarmUp.settled(394, 399));
        assertTrue(WarmUp.settled(400, 345));
        assertTrue(WarmUp.settled(400, 460));
    }

    @Test
    void aTransportStillGettingCheaperIsNotSettled() {
        assertFalse(WarmUp.settled(1_251, 746));
        assertFalse(WarmUp.settled(542, 394));
        assertFalse(WarmUp.settled(400, 470));
    }

    @Test
    void aFailedOrEmptyWindowNeverSettles() {
        assertFalse(WarmUp.settled(Double.NaN, 400));
        assertFalse(WarmUp.settled(400, Double.NaN));
        assertFalse(WarmUp.settled(0, 0));
    }
}
