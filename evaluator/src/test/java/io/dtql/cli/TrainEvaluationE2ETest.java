package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.data.RandomD4rlFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dtql train --eval-every} against the real Python server: the eval columns appear in
 * exactly the rows of the evaluation steps (every K and the last), and a resumed run keeps the
 * schedule recorded in its config.json.
 */
@Tag("e2e")
class TrainEvaluationE2ETest {
  private static final List<String> EVAL_COLUMNS =
      List.of("eval/return_mean", "eval/return_std", "eval/normalized_mean", "eval/length_mean");

  @Test
  void evalColumnsAppearAtExactlyTheEvaluationStepsAlsoAfterAResume(@TempDir Path dir)
      throws Exception {
    Path dataset = RandomD4rlFile.write(dir.resolve("hopper-random.hdf5"), 400, 11, 3, 5, 97, 50);
    Path runs = dir.resolve("runs");
    // --steps 20 scales pretraining to 1 step (the preset's 5%): the run ends at step 21.
    CliRun first =
        CliRun.of(
            "train",
            "--dataset=" + dataset,
            "--preset=hopper-medium",
            "--steps=20",
            "--set=hidden-dim=32",
            "--set=batch-size=32",
            "--set=num-candidates=16",
            "--log-every=5",
            "--eval-every=10",
            "--eval-episodes=2",
            "--no-progress",
            "--output-dir=" + runs);
    assertEquals(0, first.exitCode(), first::toString);
    Path run;
    try (Stream<Path> dirs = Files.list(runs)) {
      run = dirs.findFirst().orElseThrow();
    }
    List<JsonObject> rows = rows(run);
    assertEquals(List.of(5L, 10L, 15L, 20L, 21L), steps(rows));
    assertEvaluatedExactlyAt(rows, List.of(10L, 20L, 21L));
    JsonObject config =
        JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    assertEquals(10, config.getAsJsonObject("outputs").get("eval_every").getAsLong());
    assertEquals(2, config.getAsJsonObject("outputs").get("eval_episodes").getAsInt());

    // Extended to step 31 with no evaluation flag: the recorded schedule goes on (30 and 31).
    CliRun resumed =
        CliRun.of("train", "--resume=" + run, "--steps=30", "--force", "--no-progress");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    rows = rows(run);
    assertEquals(List.of(5L, 10L, 15L, 20L, 21L, 25L, 30L, 31L), steps(rows));
    assertEvaluatedExactlyAt(rows, List.of(10L, 20L, 21L, 30L, 31L));
  }

  private static void assertEvaluatedExactlyAt(List<JsonObject> rows, List<Long> evalSteps) {
    for (JsonObject row : rows) {
      long step = row.get("step").getAsLong();
      for (String column : EVAL_COLUMNS) {
        assertEquals(evalSteps.contains(step), row.has(column), column + " at step " + step);
      }
      if (evalSteps.contains(step)) {
        // Two episodes of an untrained policy: a finite return, at least one step each.
        assertTrue(Double.isFinite(row.get("eval/return_mean").getAsDouble()), row.toString());
        assertTrue(row.get("eval/length_mean").getAsDouble() >= 1, row.toString());
        assertTrue(row.has("losses/critic"), "training metrics stay in the row: " + row);
      }
    }
  }

  private static List<JsonObject> rows(Path run) throws Exception {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }

  private static List<Long> steps(List<JsonObject> rows) {
    return rows.stream().map(row -> row.get("step").getAsLong()).toList();
  }
}
