package io.dtql.evaluator.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.train.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training run directory as a report sees it: what its {@code config.json} says (read as plain
 * JSON, so that records of older versions, with other or fewer fields, still report), its {@code
 * metrics.jsonl} and its checkpoint files. Any of them may be missing, but not all: a directory
 * with neither {@code config.json} nor {@code metrics.jsonl} is not a run.
 *
 * @param path the run directory
 * @param record {@code config.json}, if the run has one
 * @param metrics the logged rows (empty when the run has no {@code metrics.jsonl} yet)
 * @param hasMetricsFile whether {@code metrics.jsonl} exists
 * @param checkpoints the checkpoint files in {@code checkpoints/}, by name
 */
public record TrainingRun(
    Path path,
    Optional<JsonObject> record,
    MetricsLog metrics,
    boolean hasMetricsFile,
    List<Path> checkpoints) {

  /** A directory that is not a training run (or does not exist). */
  public static final class NotARunException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotARunException(String message) {
      super(message);
    }
  }

  public TrainingRun {
    checkpoints = List.copyOf(checkpoints);
  }

  /**
   * Reads the run at {@code dir}.
   *
   * @throws NotARunException when {@code dir} does not exist, is not a directory or holds neither
   *     {@code config.json} nor {@code metrics.jsonl}
   * @throws IOException when a file of the run cannot be read, or {@code config.json} is not a JSON
   *     object (naming the file)
   */
  public static TrainingRun read(Path dir) throws IOException {
    requireRun(dir);
    Path config = dir.resolve(RunDirectory.CONFIG_FILE);
    Optional<JsonObject> record = Optional.empty();
    if (Files.isRegularFile(config)) {
      try {
        JsonElement json = JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8));
        if (!json.isJsonObject()) {
          throw new IOException(config + " is not a JSON object");
        }
        record = Optional.of(json.getAsJsonObject());
      } catch (JsonParseException e) {
        throw new IOException(config + " cannot be read as JSON: " + e.getMessage(), e);
      }
    }
    Path metricsFile = dir.resolve(RunDirectory.METRICS_JSONL);
    boolean hasMetrics = Files.isRegularFile(metricsFile);
    MetricsLog metrics = hasMetrics ? MetricsLog.read(metricsFile) : MetricsLog.empty();
    return new TrainingRun(dir, record, metrics, hasMetrics, checkpointFiles(dir));
  }

  /**
   * Refuses a directory that is not a run, saying what it is instead (and naming a run inside it,
   * for a parent of runs such as {@code runs/}).
   *
   * @throws NotARunException naming {@code dir}
   */
  public static void requireRun(Path dir) {
    if (!Files.exists(dir)) {
      throw new NotARunException(dir + ": no such run directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotARunException(dir + " is a file, not a run directory");
    }
    if (isRun(dir)) {
      return;
    }
    StringBuilder message =
        new StringBuilder(dir.toString())
            .append(" is not a training run directory: it holds neither ")
            .append(RunDirectory.CONFIG_FILE)
            .append(" nor ")
            .append(RunDirectory.METRICS_JSONL);
    List<Path> runs = runsInside(dir);
    if (!runs.isEmpty()) {
      message
          .append(". It holds ")
          .append(runs.size())
          .append(" run director")
          .append(runs.size() == 1 ? "y" : "ies")
          .append(", e.g. ")
          .append(runs.get(runs.size() - 1));
    } else {
      message.append(" (dtql train writes them into runs/PRESET__dtql__SEED__TIME/)");
    }
    throw new NotARunException(message.toString());
  }

  private static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE))
        || Files.isRegularFile(dir.resolve(RunDirectory.METRICS_JSONL));
  }

  private static List<Path> runsInside(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(Files::isDirectory).filter(TrainingRun::isRun).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static List<Path> checkpointFiles(Path dir) throws IOException {
    Path checkpoints = dir.resolve(CheckpointStore.DIRECTORY_NAME);
    if (!Files.isDirectory(checkpoints)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".ckpt"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }

  /** The directory's name, which names the preset, seed and start time of a dtql train run. */
  public String name() {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name == null ? path.toString() : name.toString();
  }

  /** A string field of {@code config.json} (nested with dots: {@code config.preset}). */
  public Optional<String> string(String dotted) {
    return field(dotted).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsString);
  }

  /** A numeric field of {@code config.json}. */
  public Optional<Double> number(String dotted) {
    return field(dotted)
        .filter(e -> e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())
        .map(JsonElement::getAsDouble);
  }

  /** An object field of {@code config.json}. */
  public Optional<JsonObject> object(String dotted) {
    return field(dotted).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
  }

  /**
   * Each dataset file the run recorded when it started, as {@code PATH (N bytes, sha256 HEX)} (just
   * the path when its size or hash is missing); empty for a run that recorded none.
   */
  public List<String> datasetFiles() {
    List<String> described = new ArrayList<>();
    for (JsonElement element : array("dataset_files").orElse(new JsonArray())) {
      if (!element.isJsonObject()) {
        continue;
      }
      JsonObject file = element.getAsJsonObject();
      String path = file.has("path") ? file.get("path").getAsString() : "?";
      described.add(
          file.has("size_bytes") && file.has("sha256")
              ? Provenance.describeFile(
                  Path.of(path),
                  file.get("size_bytes").getAsLong(),
                  file.get("sha256").getAsString())
              : path);
    }
    return described;
  }

  /** An array field of {@code config.json}. */
  public Optional<JsonArray> array(String dotted) {
    return field(dotted).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray);
  }

  private Optional<JsonElement> field(String dotted) {
    Optional<JsonElement> current = record.map(r -> r);
    for (String part : dotted.split("\\.")) {
      current =
          current
              .filter(JsonElement::isJsonObject)
              .map(e -> e.getAsJsonObject().get(part))
              .filter(e -> !e.isJsonNull());
    }
    return current;
  }

  /** The run's configuration as recorded, field by field in recorded order (empty if none). */
  public List<Map.Entry<String, String>> configFields() {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    object("config")
        .ifPresent(
            config ->
                config
                    .entrySet()
                    .forEach(
                        e ->
                            fields.add(
                                Map.entry(
                                    e.getKey(),
                                    e.getValue().isJsonPrimitive()
                                        ? e.getValue().getAsString()
                                        : e.getValue().toString()))));
    return fields;
  }

  /** The step the run is configured to end at (pretraining + training), when recorded. */
  public Optional<Long> endStep() {
    Optional<Double> pretrain = number("config.pretrain-steps");
    Optional<Double> train = number("config.train-steps");
    if (train.isPresent()) {
      return Optional.of((long) (pretrain.orElse(0.0) + train.get()));
    }
    // Runs recorded before train-steps had total-steps (pretraining included).
    return number("config.total-steps").map(Double::longValue);
  }
}
