package io.dtql.agent.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.preset.ConfigJson;
import io.dtql.agent.runtime.BuildInfo;
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
 * config.json} (the resolved configuration, the dataset it was trained on with each file's size and
 * SHA-256, the output settings, the code that started the run (its git commit, see {@link
 * BuildInfo}), and one entry per resume with the code that resumed it), {@code metrics.jsonl} (and
 * {@code metrics.csv} and {@code tensorboard/} when asked for) and {@code checkpoints/}.
 */
public final class RunDirectory {
  public static final String CONFIG_FILE = "config.json";
  public static final String METRICS_JSONL = "metrics.jsonl";
  public static final String METRICS_CSV = "metrics.csv";
  public static final String TENSORBOARD_DIR = "tensorboard";
  static final String ALGORITHM = "dtql";
  private static final String DATASET_FILES = "dataset_files";
  private static final String OUTPUTS = "outputs";
  private static final String RESUMES = "resumes";
  private static final String CODE = "code";
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

  /**
   * A new run in {@code directory} itself, created with its parents if missing: for a caller that
   * names the run's directory and keeps other files in it (the quickstart keeps its dataset and
   * report beside the run). A directory that already holds a run ({@code config.json} or {@code
   * checkpoints/}) is refused.
   */
  public static RunDirectory createAt(Path directory) throws IOException {
    Files.createDirectories(directory);
    if (Files.exists(directory.resolve(CONFIG_FILE))
        || Files.exists(directory.resolve(CheckpointStore.DIRECTORY_NAME))) {
      throw new FileAlreadyExistsException(
          directory.toString(), null, "the directory already holds a training run");
    }
    return new RunDirectory(directory);
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

  /** The run's checkpoints, keeping every one. */
  public CheckpointStore checkpoints() {
    return CheckpointStore.inRun(path);
  }

  public Path metricsJsonl() {
    return path.resolve(METRICS_JSONL);
  }

  public Path metricsCsv() {
    return path.resolve(METRICS_CSV);
  }

  /** The directory of TensorBoard event files ({@code tensorboard --logdir} it). */
  public Path tensorBoard() {
    return path.resolve(TENSORBOARD_DIR);
  }

  /**
   * Writes a new {@code config.json} atomically: the record, the device, the code of this process
   * ({@code code.git_commit}, ...), and the checkpoint of another directory this run started from,
   * if any.
   */
  public void writeRecord(RunRecord record, String device, Optional<Path> resumedFrom)
      throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("algorithm", ALGORITHM);
    json.add("config", ConfigJson.toJson(record.config()));
    json.addProperty("dataset", record.dataset().toAbsolutePath().normalize().toString());
    record.datasetFingerprint().ifPresent(print -> json.add(DATASET_FILES, print.toJson()));
    JsonObject shapeJson = new JsonObject();
    shapeJson.addProperty("obs_dim", record.shape().obsDim());
    shapeJson.addProperty("act_dim", record.shape().actDim());
    shapeJson.addProperty("max_action", record.shape().maxAction());
    json.add("shape", shapeJson);
    json.addProperty("device", device);
    json.add(OUTPUTS, record.outputs().toJson());
    json.add(CODE, BuildInfo.current().toJson());
    resumedFrom.ifPresent(
        file -> json.addProperty("resumed_from", file.toAbsolutePath().toString()));
    writeJson(json);
  }

  /**
   * Reads {@code config.json}; empty when the directory has none.
   *
   * @throws IOException naming the file when it cannot be parsed
   */
  public Optional<RunRecord> readRecord() throws IOException {
    Path file = path.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject json = readJson();
      JsonObject shape = json.getAsJsonObject("shape");
      return Optional.of(
          new RunRecord(
              ConfigJson.fromJson(json.getAsJsonObject("config")),
              new ProblemShape(
                  shape.get("obs_dim").getAsInt(),
                  shape.get("act_dim").getAsInt(),
                  shape.get("max_action").getAsFloat()),
              Path.of(json.get("dataset").getAsString()),
              json.has(DATASET_FILES)
                  ? Optional.of(DatasetFingerprint.fromJson(json.getAsJsonArray(DATASET_FILES)))
                  : Optional.empty(),
              json.has(OUTPUTS)
                  ? OutputSettings.fromJson(json.getAsJsonObject(OUTPUTS))
                  : OutputSettings.DEFAULTS));
    } catch (JsonParseException
        | IllegalStateException
        | IllegalArgumentException
        | NullPointerException
        | ClassCastException e) {
      throw new IOException(file + " cannot be read as a run record: " + e.getMessage(), e);
    }
  }

  /**
   * Records a resume in {@code config.json}: the run's config becomes {@code config} (a resume can
   * only extend train-steps), the output settings become the resumed process's, and {@code entry}
   * is appended to {@code resumes} with the code of the resuming process. The record of the dataset
   * the run started on is never changed.
   */
  public void recordResume(DtqlConfig config, OutputSettings outputs, ResumeEntry entry)
      throws IOException {
    JsonObject json = readJson();
    json.add("config", ConfigJson.toJson(config));
    json.add(OUTPUTS, outputs.toJson());
    JsonArray resumes = json.has(RESUMES) ? json.getAsJsonArray(RESUMES) : new JsonArray();
    JsonObject resume = new JsonObject();
    resume.addProperty("from", entry.checkpoint().toAbsolutePath().normalize().toString());
    resume.addProperty("step", entry.step());
    resume.addProperty("train_steps_before", entry.trainStepsBefore());
    resume.addProperty("train_steps", entry.trainSteps());
    resume.addProperty("dataset", entry.dataset().toAbsolutePath().normalize().toString());
    resume.addProperty("device", entry.device());
    resume.add(CODE, BuildInfo.current().toJson());
    resumes.add(resume);
    json.add(RESUMES, resumes);
    writeJson(json);
  }

  private JsonObject readJson() throws IOException {
    return JsonParser.parseString(
            Files.readString(path.resolve(CONFIG_FILE), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private void writeJson(JsonObject json) throws IOException {
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
