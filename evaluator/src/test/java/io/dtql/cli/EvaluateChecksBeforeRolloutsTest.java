package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What evaluate and collect check against the server's task specs before the first rollout, with a
 * fake server that counts the sessions they open: a checkpoint that does not fit a task and an
 * unknown task are usage errors (exit 2); a spec that breaks the contract is a failure (exit 1).
 */
class EvaluateChecksBeforeRolloutsTest {
  @TempDir Path dir;
  private FakeSimulator simulator;
  private Path hopper;

  @BeforeEach
  void start() throws IOException {
    simulator = new FakeSimulator();
    hopper = CliRun.hopperCheckpoint(dir);
  }

  @AfterEach
  void stop() throws InterruptedException {
    simulator.close();
  }

  @Test
  void aHopperCheckpointOnHopperAndWalker2dIsRefusedBeforeAnyRollout() {
    CliRun run =
        CliRun.of(
            "evaluate",
            "--checkpoint=" + hopper,
            "--task=hopper,walker2d",
            "--target=" + simulator.target());

    run.assertUsageError(
        "evaluate",
        "--task walker2d",
        "trained on obs 11 / act 3 but task walker2d has obs 17 / act 6");
    assertEquals(0, simulator.sessionsRequested(), "no session, so no rollout");
  }

  @Test
  void anUnknownTaskIsRefusedBeforeAnyRollout() {
    CliRun run =
        CliRun.of(
            "evaluate", "--task=hopper,hoper", "--episodes=1", "--target=" + simulator.target());

    run.assertUsageError("evaluate", "--task hoper: the simulator hosts no such task");
    assertEquals(0, simulator.sessionsRequested());
  }

  @Test
  void collectingWithACheckpointOfAnotherTaskIsRefusedBeforeAnyRollout() {
    Path output = dir.resolve("walker.hdf5");
    CliRun run =
        CliRun.of(
            "collect",
            "--checkpoint=" + hopper,
            "--task=walker2d",
            "--output=" + output,
            "--target=" + simulator.target());

    run.assertUsageError("collect", "task walker2d has obs 17 / act 6");
    assertEquals(0, simulator.sessionsRequested());
    assertFalse(Files.exists(output));
  }

  @Test
  void aTaskSpecThatBreaksTheContractIsAFailureNamingTheField() {
    simulator.breakSpecOf("walker2d");

    CliRun evaluate =
        CliRun.of("evaluate", "--task=walker2d", "--episodes=1", "--target=" + simulator.target());
    CliRun tasks = CliRun.of("tasks", "--target=" + simulator.target());

    evaluate.assertFailure(
        "the simulator's reply breaks the dtql.env.v1 contract",
        "malformed DescribeTaskResponse",
        "action.low");
    tasks.assertFailure("breaks the dtql.env.v1 contract", "malformed ListTasksResponse");
    assertEquals(0, simulator.sessionsRequested());
  }

  @Test
  void aFittingCheckpointGetsPastTheChecksToTheRollout() {
    CliRun run =
        CliRun.of(
            "evaluate",
            "--checkpoint=" + hopper,
            "--task=hopper",
            "--episodes=1",
            "--target=" + simulator.target());

    // The fake runs no physics: it refuses the session, which is a failure, not a usage error.
    run.assertFailure("simulator: CreateSession failed with UNIMPLEMENTED");
    assertEquals(1, simulator.sessionsRequested());
  }
}
