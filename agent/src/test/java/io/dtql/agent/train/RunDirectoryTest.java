package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
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
  void configJsonRecordsTheResolvedConfigDatasetAndShape() throws IOException {
    RunDirectory run = RunDirectory.create(output, "custom", 0, NOW);
    DtqlConfig config = DtqlConfig.locomotionDefaults();
    run.writeConfig(
        config,
        new ProblemShape(11, 3, 1f),
        Path.of("data/hopper.hdf5"),
        "cpu()",
        Optional.empty());
    JsonObject json =
        JsonParser.parseString(Files.readString(run.path().resolve("config.json")))
            .getAsJsonObject();
    assertEquals(config, ConfigJson.fromJson(json.getAsJsonObject("config")));
    assertEquals(11, json.getAsJsonObject("shape").get("obs_dim").getAsInt());
    assertEquals(
        Path.of("data/hopper.hdf5").toAbsolutePath().toString(), json.get("dataset").getAsString());
    assertEquals("dtql", json.get("algorithm").getAsString());
  }

  @Test
  void openingAMissingRunDirectoryFailsNamingIt() {
    IOException e =
        assertThrows(IOException.class, () -> RunDirectory.open(output.resolve("gone")));
    assertEquals(true, e.getMessage().contains("gone"));
  }
}
