package io.dtql.agent.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.preset.ConfigJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One training run's directory, {@code {preset}__dtql__{seed}__{yyyyMMdd-HHmmss}}, holding {@code
 * config.json} (the resolved configuration and what it was trained on), {@code metrics.jsonl} (and
 * {@code metrics.csv} when asked for) and {@code checkpoints/}.
 */
public final class RunDirectory {
  public static final String CONFIG_FILE = "config.json";
  public static final String METRICS_JSONL = "metrics.jsonl";
  public static final String METRICS_CSV = "metrics.csv";
  static final String ALGORITHM = "dtql";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  /** Creates a new, empty run directory; a same-second twin gets a numeric suffix. */
  public static RunDirectory create(Path outputDir, String preset, long seed, LocalDateTime now)
      throws IOException {
    Files.createDirectories(outputDir);
    String base = String.join("__", safe(preset), ALGORITHM, Long.toString(seed), TIME.format(now));
    for (int attempt = 1; ; attempt++) {
      Path candidate = outputDir.resolve(attempt == 1 ? base : base + "-" + attempt);
      try {
        return new RunDirectory(Files.createDirectory(candidate));
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 1000) {
          throw taken;
        }
      }
    }
  }

  /** An existing run directory (when resuming). */
  public static RunDirectory open(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new IOException("run directory " + path + " does not exist");
    }
    return new RunDirectory(path);
  }

  public Path path() {
    return path;
  }

  public CheckpointStore checkpoints() {
    return CheckpointStore.inRun(path);
  }

  public Path metricsJsonl() {
    return path.resolve(METRICS_JSONL);
  }

  public Path metricsCsv() {
    return path.resolve(METRICS_CSV);
  }

  /** Writes {@code config.json} atomically. */
  public void writeConfig(
      DtqlConfig config,
      ProblemShape shape,
      Path dataset,
      String device,
      Optional<Path> resumedFrom)
      throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("algorithm", ALGORITHM);
    json.add("config", ConfigJson.toJson(config));
    json.addProperty("dataset", dataset.toAbsolutePath().normalize().toString());
    JsonObject shapeJson = new JsonObject();
    shapeJson.addProperty("obs_dim", shape.obsDim());
    shapeJson.addProperty("act_dim", shape.actDim());
    shapeJson.addProperty("max_action", shape.maxAction());
    json.add("shape", shapeJson);
    json.addProperty("device", device);
    resumedFrom.ifPresent(
        file -> json.addProperty("resumed_from", file.toAbsolutePath().toString()));
    String text = new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n";
    AtomicFiles.write(path.resolve(CONFIG_FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
