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
  void unknownSelectionModeIsAUsageErrorBeforeAnyServerStarts() {
    assertEquals(
        2, DtqlCli.execute("evaluate", "--selection", "psychic", "--target", "127.0.0.1:1"));
  }

  @Test
  void missingCheckpointIsAnErrorNamingThePath() {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = DtqlCli.commandLine();
    cli.setErr(new java.io.PrintWriter(err));
    int code = cli.execute("evaluate", "--checkpoint", "/no/such/run", "--target", "127.0.0.1:1");
    assertEquals(1, code);
    org.junit.jupiter.api.Assertions.assertTrue(
        err.toString().contains("/no/such/run"), err.toString());
  }

  @Test
  void zeroEpisodesIsAUsageError() {
    assertEquals(2, DtqlCli.execute("evaluate", "--episodes", "0", "--target", "127.0.0.1:1"));
  }
}
