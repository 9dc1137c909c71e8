package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DtqlCliTest {
  @Test
  void helpExitsZero() {
    assertEquals(0, DtqlCli.execute("--help"));
    assertEquals(0, DtqlCli.execute("evaluate", "--help"));
    assertEquals(0, DtqlCli.execute("quickstart", "--help"));
    assertEquals(0, DtqlCli.execute("train", "--help"));
  }

  @Test
  void badUsageExitsTwo() {
    assertEquals(2, DtqlCli.execute());
    assertEquals(2, DtqlCli.execute("no-such-command"));
    assertEquals(2, DtqlCli.execute("evaluate", "--episodes", "lots"));
  }

  @Test
  void unknownPolicyIsAUsageErrorBeforeAnyServerStarts() {
    assertEquals(2, DtqlCli.execute("evaluate", "--policy", "psychic", "--target", "127.0.0.1:1"));
  }

  @Test
  void zeroEpisodesIsAUsageError() {
    assertEquals(2, DtqlCli.execute("evaluate", "--episodes", "0", "--target", "127.0.0.1:1"));
  }
}
