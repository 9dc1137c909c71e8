package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.evaluator.report.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI-facing outputs against a real local server: smoke's one line and exit code, reports. */
@Tag("e2e")
class SmokeAndReportE2ETest {
  @Test
  void smokePassesWithOneLineAndFailsBelowTheThreshold() {
    CliRun pass = CliRun.of("smoke", "--episodes=1");
    assertEquals(0, pass.exitCode(), pass::toString);
    assertEquals(1, pass.out().lines().count(), pass::toString);
    assertTrue(pass.out().startsWith("smoke PASS: hopper random 1 episodes"), pass::toString);

    CliRun low = CliRun.of("smoke", "--episodes=1", "--min-score=150");
    assertEquals(1, low.exitCode(), low::toString);
    assertTrue(low.out().startsWith("smoke FAIL: hopper random "), low::toString);
    assertTrue(low.out().contains(" < 150.0"), low::toString);
  }

  @Test
  void aThresholdThatCannotBeCheckedIsAUsageErrorBeforeAnyServerStarts() {
    CliRun run = CliRun.of("smoke", "--min-score=NaN");
    run.assertUsageError("smoke", "--min-score must be a finite number");
  }

  @Test
  void evaluateWritesAReportAndPassesItsGate(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report");
    CliRun run =
        CliRun.of(
            "evaluate", "--episodes=3", "--num-envs=2", "--min-score=-50", "--report=" + report);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("min-score PASS: hopper random"), run::toString);
    String md = Files.readString(report.resolve("report.md"));
    assertTrue(md.contains("| hopper | random | 3 |"), md);
    assertTrue(md.contains("## Provenance"), md);
    assertTrue(md.contains("Hopper-v4 on mujoco"), md);
    assertTrue(md.contains(Provenance.CODE), "the git commit is stated: " + md);
    assertTrue(md.contains("| hopper | random | 2 | 2 |"), "episode 2 has seed 2: " + md);
    assertNotNull(ImageIO.read(report.resolve("returns.png").toFile()));
    assertTrue(Files.readString(report.resolve("summary.json")).contains("\"d4rl_score_ci95\""));
  }
}
