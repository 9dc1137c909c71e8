package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DtqlCliTest {
  @Test
  void helpExitsZero() {
    assertEquals(0, DtqlCli.run("--help"));
    assertEquals(0, DtqlCli.run("evaluate", "--help"));
    assertEquals(0, DtqlCli.run("quickstart", "--help"));
  }

  @Test
  void badUsageExitsTwo() {
    assertEquals(2, DtqlCli.run());
    assertEquals(2, DtqlCli.run("no-such-command"));
    assertEquals(2, DtqlCli.run("evaluate", "--episodes", "lots"));
  }

  @Test
  void unknownPolicyIsAUsageErrorBeforeAnyServerStarts() {
    assertEquals(2, DtqlCli.run("evaluate", "--policy", "psychic", "--target", "127.0.0.1:1"));
  }

  @Test
  void zeroEpisodesIsAUsageError() {
    assertEquals(2, DtqlCli.run("evaluate", "--episodes", "0", "--target", "127.0.0.1:1"));
  }
}
