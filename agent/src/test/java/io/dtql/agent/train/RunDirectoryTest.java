package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import io.dtql.agent.preset.ConfigJson;
import io.dtql.agent.runtime.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 21, 19, 5, 9);

  @TempDir Path output;

  @Test
  void nameFollowsPresetAlgorithmSeedTime() throws IOException {
    RunDirectory run = RunDirectory.create(output, "hopper-medium", 42, NOW);
    assertEquals("hopper-medium__dtql__42__20261121-190509", run.path().getFileName().toString());
    RunDirectory twin = RunDirectory.create(output, "hopper-medium", 42, NOW);
    assertEquals(
        "hopper-medium__dtql__42__20261121-190509-2", twin.path().getFileName().toString());
  }

  @Test
  void configJsonRecordsTheResolvedConfigDatasetAndShapeAndReadsBack() throws IOException {
    RunDirectory run = RunDirectory.create(output, "custom", 0, NOW);
    DtqlConfig config = DtqlConfig.locomotionDefaults();
    Path dataset = Files.writeString(output.resolve("hopper.hdf5"), "rows");
    RunRecord record =
        new RunRecord(
            config,
            new ProblemShape(11, 3, 1f),
            dataset.toAbsolutePath(),
            Optional.of(DatasetFingerprint.of(dataset)),
            new OutputSettings(25, 2, 10, true, true, new EvaluationSettings(20, 3)));
    run.writeRecord(record, "cpu()", Optional.empty());
    JsonObject json =
        JsonParser.parseString(Files.readString(run.path().resolve("config.json")))
            .getAsJsonObject();
    assertEquals(config, ConfigJson.fromJson(json.getAsJsonObject("config")));
    assertEquals(11, json.getAsJsonObject("shape").get("obs_dim").getAsInt());
    assertEquals(dataset.toAbsolutePath().toString(), json.get("dataset").getAsString());
    assertEquals("dtql", json.get("algorithm").getAsString());
    JsonObject file = json.getAsJsonArray("dataset_files").get(0).getAsJsonObject();
    assertEquals(4, file.get("size_bytes").getAsLong());
    assertEquals(64, file.get("sha256").getAsString().length());
    assertEquals(20, json.getAsJsonObject("outputs").get("eval_every").getAsLong());
    assertTrue(json.getAsJsonObject("outputs").get("metrics_tensorboard").getAsBoolean());
    // The code that started the run: a commit id, or "unknown" for a build without git.
    assertEquals(
        BuildInfo.current().gitCommit(),
        json.getAsJsonObject("code").get("git_commit").getAsString());
    assertEquals(Optional.of(record), run.readRecord());
  }

  @Test
  void aResumeUpdatesConfigAndOutputsButNeverTheDatasetRecord() throws IOException {
    RunDirectory run = RunDirectory.create(output, "custom", 0, NOW);
    Path dataset = Files.writeString(output.resolve("hopper.hdf5"), "rows");
    RunRecord original =
        new RunRecord(
            DtqlConfig.locomotionDefaults(),
            new ProblemShape(11, 3, 1f),
            dataset.toAbsolutePath(),
            Optional.of(DatasetFingerprint.of(dataset)),
            OutputSettings.DEFAULTS);
    run.writeRecord(original, "cpu()", Optional.empty());
    DtqlConfig extended =
        ConfigFields.withOverrides(original.config(), Map.of("train-steps", "2000000"));
    // A resume may turn on evaluation: it does not change what is learned.
    OutputSettings outputs = new OutputSettings(100, 5, 50, false, new EvaluationSettings(200, 4));
    Path moved = output.resolve("moved/hopper.hdf5");
    run.recordResume(
        extended,
        outputs,
        new ResumeEntry(
            Path.of("ckpt/step-000000007.ckpt"), 7, 1_000_000, 2_000_000, moved, "cpu()"));
    run.recordResume(
        extended,
        outputs,
        new ResumeEntry(
            Path.of("ckpt/step-000000009.ckpt"), 9, 2_000_000, 2_000_000, moved, "cpu()"));

    RunRecord now = run.readRecord().orElseThrow();
    assertEquals(extended, now.config());
    assertEquals(outputs, now.outputs());
    assertEquals(original.dataset(), now.dataset());
    assertEquals(original.datasetFingerprint(), now.datasetFingerprint());
    JsonObject json =
        JsonParser.parseString(Files.readString(run.path().resolve("config.json")))
            .getAsJsonObject();
    assertEquals(2, json.getAsJsonArray("resumes").size());
    JsonObject first = json.getAsJsonArray("resumes").get(0).getAsJsonObject();
    assertEquals(7, first.get("step").getAsLong());
    assertEquals(1_000_000, first.get("train_steps_before").getAsLong());
    assertEquals(2_000_000, first.get("train_steps").getAsLong());
    assertEquals(moved.toAbsolutePath().toString(), first.get("dataset").getAsString());
    assertEquals(BuildInfo.current().toJson(), first.getAsJsonObject("code"));
  }

  @Test
  void aDirectoryWithoutConfigJsonHasNoRecordAndADamagedOneIsNamed() throws IOException {
    RunDirectory run = RunDirectory.create(output, "custom", 0, NOW);
    assertEquals(Optional.empty(), run.readRecord());
    Files.writeString(run.path().resolve("config.json"), "{\"config\": 3");
    IOException e = assertThrows(IOException.class, run::readRecord);
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }

  @Test
  void openingAMissingRunDirectoryFailsNamingIt() {
    IOException e =
        assertThrows(IOException.class, () -> RunDirectory.open(output.resolve("gone")));
    assertEquals(true, e.getMessage().contains("gone"));
  }
}
