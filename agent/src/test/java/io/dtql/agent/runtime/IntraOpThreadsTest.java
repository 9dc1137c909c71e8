package io.dtql.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {
  private static final IntraOpThreads.LoadSample NEVER =
      () -> {
        throw new AssertionError("an explicit setting must not measure the load");
      };

  @Test
  void aQuietMachineGivesEveryCore() {
    assertEquals(2, IntraOpThreads.decide(null, null, 2, () -> 0.1).threads());
    assertEquals(8, IntraOpThreads.decide(null, null, 8, () -> 0.4).threads());
  }

  @Test
  void coresBusyWithOtherWorkAreLeftToIt() {
    IntraOpThreads busy = IntraOpThreads.decide(null, null, 2, () -> 1.0);
    assertEquals(1, busy.threads());
    assertTrue(busy.reason().contains("1.0 cores busy"), busy.reason());
    assertEquals(1, IntraOpThreads.decide(null, null, 2, () -> 2.0).threads()); // never 0
    assertEquals(5, IntraOpThreads.decide(null, null, 8, () -> 2.6).threads());
  }

  @Test
  void anExplicitSettingWinsPropertyFirst() {
    assertEquals(3, IntraOpThreads.decide("3", "1", 2, NEVER).threads());
    IntraOpThreads fromEnv = IntraOpThreads.decide(null, "4", 2, NEVER);
    assertEquals(4, fromEnv.threads());
    assertEquals("set by DTQL_THREADS", fromEnv.reason());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> IntraOpThreads.decide(null, "zero", 2, NEVER));
    assertTrue(e.getMessage().contains("DTQL_THREADS"), e.getMessage());
  }

  @Test
  void unmeasurableLoadFallsBackToEveryCore() {
    assertEquals(2, IntraOpThreads.decide(null, null, 2, () -> Double.NaN).threads());
  }

  @Test
  void theLoadSampleIsWithinTheMachine() {
    double busy = IntraOpThreads.busyCoresOfOthers(Runtime.getRuntime().availableProcessors());
    assertTrue(
        Double.isNaN(busy) || (busy >= 0 && busy <= Runtime.getRuntime().availableProcessors()),
        "busy cores " + busy);
  }
}
