package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of run directories written by hand: the charts are valid PNGs linked from report.md, the
 * score table holds the logged numbers, and damaged or partial runs report what they have.
 */
class TrainingReportTest {
  /**
   * The software fields without loading the engine (Provenance.software() is tested by the CLI).
   */
  private static final Provenance SOFTWARE =
      Provenance.empty().with(Provenance.CODE, "fedcba9876 (test build)").with("Java", "17");

  @TempDir Path tmp;

  @Test
  void aRunThatEvaluatedLeadsWithTheScoreChartAndTabulatesFinalAndBestScores() throws IOException {
    RunFixture run = RunFixture.create(tmp);
    for (long step = 100; step <= 900; step += 100) {
      if (step % 300 == 0) {
        // Step 600 is the best evaluation; 900 the final one.
        double score = step == 600 ? 41.25 : step == 900 ? 37.5 : 12.75;
        run.evaluationRow(step, score, 4.5, true);
      } else {
        run.trainingRow(step);
      }
    }
    Path out = tmp.resolve("out");

    TrainingReport.Result result = TrainingReport.write(run.dir(), out, SOFTWARE);

    assertEquals(out.resolve("report.md"), result.markdown());
    List<String> links = RunFixture.assertLinkedImagesArePngs(result.markdown());
    assertEquals("eval-score.png", links.get(0), "the score chart comes first: " + links);
    assertTrue(
        links.containsAll(
            List.of("eval-details.png", "losses.png", "values.png", "learning-rates.png")),
        links.toString());
    assertEquals(links.size(), result.charts().size());
    String md = Files.readString(result.markdown());
    // Final (step 900) and best (step 600) with their logged intervals, score and return.
    assertTrue(md.contains("| step | 900 | 600 |"), md);
    assertTrue(
        md.contains("| D4RL-normalised score | 37.50 [36.25, 39.00] | 41.25 [40.00, 42.75] |"), md);
    assertTrue(
        md.contains("| Return | 1220.00 [1180.00, 1268.00] | 1340.00 [1300.00, 1388.00] |"), md);
    assertEquals(
        "D4RL-normalised score: 37.50 at the last evaluation (step 900); best 41.25 at step 600.",
        result.headline().orElseThrow());
    assertTrue(md.contains("Mean of 5 episodes"), md);
    assertTrue(result.notes().isEmpty(), result.notes().toString());
  }

  @Test
  void provenanceNamesTheDatasetWithSizeAndHashThePresetSeedAndBothCommits() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100).trainingRow(200).trainingRow(300);

    Path report = TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE).markdown();

    String md = Files.readString(report);
    String provenance = md.substring(md.indexOf("## Provenance"));
    assertTrue(provenance.contains("| dataset | /data/hopper-medium-v2.hdf5 |"), provenance);
    assertTrue(
        provenance.contains(
            "/data/hopper-medium-v2.hdf5 (166,004,977 bytes, sha256 " + RunFixture.SHA256 + ")"),
        provenance);
    assertTrue(provenance.contains("| preset | hopper-medium |"), provenance);
    assertTrue(provenance.contains("| seed | 7 (evaluation: 5 episodes every 300 steps) |"), md);
    assertTrue(
        provenance.contains("| trained with dtql code | " + RunFixture.COMMIT + " (committed"),
        provenance);
    assertTrue(provenance.contains("| dtql code (git commit) | fedcba9876 (test build) |"), md);
    assertTrue(provenance.contains("| metrics read |"), provenance);
    assertTrue(provenance.contains("| report written |"), provenance);
    assertTrue(provenance.contains("| alpha | 5.0 |"), "the configuration: " + provenance);
  }

  @Test
  void aRunThatDidNotEvaluateHasNoScoreChartAndSaysSo() throws IOException {
    RunFixture run = RunFixture.create(tmp);
    for (long step = 100; step <= 500; step += 100) {
      run.trainingRow(step);
    }
    Path out = tmp.resolve("out");

    TrainingReport.Result result = TrainingReport.write(run.dir(), out, SOFTWARE);

    List<String> links = RunFixture.assertLinkedImagesArePngs(result.markdown());
    assertFalse(links.stream().anyMatch(l -> l.startsWith("eval-")), links.toString());
    assertFalse(Files.exists(out.resolve(TrainingFigures.EVAL_SCORE)));
    assertEquals("losses.png", links.get(0));
    String md = Files.readString(result.markdown());
    assertTrue(md.contains("did not evaluate its policy while training"), md);
    assertTrue(result.headline().isEmpty());
  }

  @Test
  void aTornLastLineIsSkippedAndReported() throws IOException {
    RunFixture run =
        RunFixture.create(tmp)
            .trainingRow(100)
            .evaluationRow(300, 20.5, 3.0, false)
            .tornLine("{\"step\":400,\"wall_time_s\":80.0,\"losses/cri");

    TrainingReport.Result result = TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE);

    RunFixture.assertLinkedImagesArePngs(result.markdown());
    String md = Files.readString(result.markdown());
    assertTrue(md.contains("The last line of metrics.jsonl is incomplete"), md);
    assertTrue(md.contains("the report ends at step 300"), md);
    assertTrue(result.notes().get(0).contains("incomplete"), result.notes().toString());
    // Without interval columns the table shows the standard deviation.
    assertTrue(md.contains("| D4RL-normalised score | 20.50 ± 3.00 | 20.50 ± 3.00 |"), md);
  }

  @Test
  void nanValuesMissingColumnsAndASingleRowStillMakeAReport() throws IOException {
    RunFixture run =
        RunFixture.create(tmp)
            .line("{\"step\":50,\"losses/critic\":NaN,\"losses/bc\":0.9,\"values/q_mean\":null}");

    TrainingReport.Result result = TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE);

    List<String> links = RunFixture.assertLinkedImagesArePngs(result.markdown());
    assertEquals(List.of("losses.png"), links);
    String md = Files.readString(result.markdown());
    assertTrue(md.contains("losses/critic is NaN or infinite in 1 row"), md);
    assertTrue(md.contains("Only 1 metrics row was logged"), md);
  }

  @Test
  void aRunWithoutMetricsYetReportsItsProvenance() throws IOException {
    RunFixture run = RunFixture.create(tmp);

    TrainingReport.Result result = TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE);

    assertTrue(result.charts().isEmpty());
    String md = Files.readString(result.markdown());
    assertTrue(md.contains("no metrics.jsonl yet"), md);
    assertTrue(md.contains("| preset | hopper-medium |"), md);
  }

  @Test
  void aRunRecordedWithoutItsCommitSaysItIsNotRecorded() throws IOException {
    RunFixture run =
        RunFixture.create(tmp)
            .config(
                "{\"config\": {\"preset\": \"walker2d-medium\", \"seed\": 1, \"total-steps\": 9},"
                    + " \"dataset\": \"/d/w.hdf5\", \"device\": \"cpu()\"}")
            .trainingRow(100);

    String md =
        Files.readString(TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE).markdown());

    assertTrue(md.contains("| trained with dtql code | not recorded"), md);
    assertTrue(md.contains("size and SHA-256 not recorded"), md);
  }

  @Test
  void aSacRunWithoutConfigJsonReportsItsCurvesAndSaysWhatIsUnknown() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100).trainingRow(200);
    Files.delete(run.dir().resolve("config.json"));
    Files.writeString(run.dir().resolve("run.json"), "{}");

    TrainingReport.Result result = TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE);

    RunFixture.assertLinkedImagesArePngs(result.markdown());
    assertTrue(result.notes().get(0).contains("has no config.json"), result.notes().toString());
    assertTrue(result.notes().get(0).contains("run.json of a dtql sac run"));
    assertFalse(Files.readString(result.markdown()).contains("trained with dtql code"));
  }

  @Test
  void aNewReportRemovesTheChartsOfAnOlderOneThatItDoesNotMake() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path stale = Files.writeString(out.resolve(TrainingFigures.EVAL_SCORE), "old");
    Path mine = Files.writeString(out.resolve("notes.txt"), "kept");

    TrainingReport.write(run.dir(), out, SOFTWARE);

    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(mine));
  }

  @Test
  void aReportReplacesAnEarlierOneWholeAndLeavesNoTemporaryFiles() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100).trainingRow(200);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve(TrainingReport.REPORT_FILE), "an earlier report");

    TrainingReport.Result result = TrainingReport.write(run.dir(), out, SOFTWARE);

    assertFalse(Files.readString(result.markdown()).contains("an earlier report"));
    try (var files = Files.list(out)) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), names.toString());
    }
  }

  @Test
  void aDirectoryThatIsNotARunIsRefusedNamingARunInsideIt() throws IOException {
    RunFixture run = RunFixture.create(tmp).trainingRow(100);

    TrainingRun.NotARunException parent =
        assertThrows(
            TrainingRun.NotARunException.class,
            () -> TrainingReport.write(tmp, tmp.resolve("out"), SOFTWARE));
    assertTrue(
        parent.getMessage().contains("is not a training run directory"), parent.getMessage());
    assertTrue(parent.getMessage().contains(run.dir().toString()), parent.getMessage());

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    TrainingRun.NotARunException none =
        assertThrows(
            TrainingRun.NotARunException.class,
            () -> TrainingReport.write(empty, tmp.resolve("out"), SOFTWARE));
    assertTrue(
        none.getMessage().contains("neither config.json nor metrics.jsonl"), none.getMessage());

    assertThrows(
        TrainingRun.NotARunException.class,
        () -> TrainingReport.write(tmp.resolve("gone"), tmp.resolve("out"), SOFTWARE));
  }

  @Test
  void aDamagedConfigJsonIsAnErrorNamingTheFile() throws IOException {
    RunFixture run = RunFixture.create(tmp).config("{\"config\": ").trainingRow(100);

    IOException e =
        assertThrows(
            IOException.class, () -> TrainingReport.write(run.dir(), tmp.resolve("out"), SOFTWARE));

    assertTrue(
        e.getMessage().contains(run.dir().resolve("config.json").toString()), e.getMessage());
  }
}
