package io.dtql.cli;

import ai.djl.engine.Engine;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.io.FileHashes;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What produced an evaluation, for the report: policy files, settings, software, simulators. */
final class EvaluationProvenance {
  private EvaluationProvenance() {}

  static Map<String, String> of(
      PolicyOptions policy,
      List<Path> checkpoints,
      EvaluationOptions options,
      List<TaskSpec> tasks,
      List<SimulatorEndpoint> endpoints)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    for (Path checkpoint : checkpoints) {
      if (checkpoint == null) {
        p.put("policy", "random (uniform in the action box)");
        continue;
      }
      Path file = CheckpointStore.resolveResumeTarget(checkpoint);
      var saved = policy.checkpointFile(checkpoint);
      p.put(
          "checkpoint " + file,
          "step "
              + saved.step()
              + ", preset "
              + saved.config().preset()
              + ", sha256 "
              + sha256(file));
      runDataset(file).ifPresent(d -> p.put("dataset of " + file.getFileName(), d));
    }
    p.put("selection", policy.selection());
    p.put(
        "episodes",
        options.episodes()
            + " per task, seeds "
            + options.seed()
            + ".."
            + (options.seed() + options.episodes() - 1)
            + ", up to "
            + options.numEnvs()
            + " envs per session");
    for (TaskSpec t : tasks) {
      p.put(
          "task " + t.taskId(),
          t.envId()
              + " on "
              + t.simulator()
              + " "
              + t.simulatorVersion()
              + ", model sha256 "
              + (t.modelSha256().isEmpty() ? "n/a" : t.modelSha256()));
    }
    p.put(
        "simulators", String.join(", ", endpoints.stream().map(SimulatorEndpoint::name).toList()));
    p.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    p.put("djl", Engine.getDjlVersion());
    p.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    return p;
  }

  private static String sha256(Path file) {
    try {
      return FileHashes.sha256(file);
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  /**
   * The dataset a checkpoint's run trained on, from the run's config.json (beside the checkpoint or
   * one level up, as in RUN/checkpoints/step-N.ckpt).
   */
  private static Optional<String> runDataset(Path checkpointFile) {
    Path parent = checkpointFile.toAbsolutePath().getParent();
    for (Path dir : new Path[] {parent, parent == null ? null : parent.getParent()}) {
      Path config = dir == null ? null : dir.resolve("config.json");
      if (config == null || !Files.isRegularFile(config)) {
        continue;
      }
      try {
        JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        String dataset = json.has("dataset") ? json.get("dataset").getAsString() : "?";
        JsonArray files = json.has("dataset_files") ? json.getAsJsonArray("dataset_files") : null;
        String hash =
            files == null || files.isEmpty()
                ? ""
                : ", sha256 " + files.get(0).getAsJsonObject().get("sha256").getAsString();
        return Optional.of(dataset + hash);
      } catch (IOException | RuntimeException e) {
        return Optional.of(config + " unreadable: " + e.getMessage());
      }
    }
    return Optional.empty();
  }
}
