package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.runtime.BuildInfo;
import io.dtql.evaluator.report.RunFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtql report} through the command line: what it writes, prints, and refuses. */
class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheReportIntoTheRunAndPrintsWhereWithTheScoreAndTheNotes() throws IOException {
    RunFixture run =
        RunFixture.create(tmp)
            .trainingRow(100)
            .trainingRow(200)
            .evaluationRow(300, 25.5, 2.0, true)
            .tornLine("{\"step\":400,");

    CliRun result = CliRun.of("report", run.dir().toString());

    assertEquals(0, result.exitCode(), result.toString());
    Path report = run.dir().resolve("report/report.md");
    assertTrue(result.out().startsWith("report: " + report + " ("), result.toString());
    assertTrue(
        result.out().contains("D4RL-normalised score: 25.50 at the last evaluation (step 300)"),
        result.toString());
    assertTrue(result.out().contains("note: The last line of metrics.jsonl is incomplete"));
    assertEquals("", result.err());
    List<String> links = RunFixture.assertLinkedImagesArePngs(report);
    assertEquals("eval-score.png", links.get(0));
    // The provenance of the code that wrote it: this build's commit, Java, DJL, PyTorch.
    String md = Files.readString(report);
    assertTrue(md.contains(BuildInfo.current().gitCommit()), md);
    assertTrue(md.contains("| DJL | "), md);
    assertTrue(md.contains("| deep learning engine | PyTorch "), md);
  }

  @Test
  void outputPutsTheReportElsewhere() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100);
    Path out = tmp.resolve("reports/run7");

    CliRun result = CliRun.of("report", run.dir().toString(), "--output", out.toString());

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(Files.isRegularFile(out.resolve("report.md")));
    assertFalse(Files.exists(run.dir().resolve("report")));
  }

  @Test
  void aMissingRunOrADirectoryThatIsNotARunIsAUsageError() throws IOException {
    CliRun.of("report", tmp.resolve("gone").toString())
        .assertUsageError("report", tmp.resolve("gone") + ": no such run directory");

    RunFixture run = RunFixture.create(tmp).trainingRow(100);
    CliRun.of("report", tmp.toString())
        .assertUsageError(
            "report",
            tmp
                + " is not a training run directory: it holds neither config.json nor"
                + " metrics.jsonl",
            "e.g. " + run.dir());

    CliRun.of("report").assertUsageError("report", "Missing required parameter: 'RUN_DIR'");
  }

  @Test
  void anOutputThatIsAFileIsAUsageError() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100);
    Path file = Files.writeString(tmp.resolve("out.md"), "x");

    CliRun.of("report", run.dir().toString(), "--output", file.toString())
        .assertUsageError("report", "--output " + file + " is a file");
  }

  @Test
  void aDamagedConfigJsonIsARuntimeFailureNamingTheFile() throws IOException {
    RunFixture run = RunFixture.create(tmp).config("{\"config\": [").trainingRow(100);

    CliRun.of("report", run.dir().toString())
        .assertFailure(run.dir().resolve("config.json") + " cannot be read as JSON");
  }
}
