package io.dtql.evaluator.online;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.sac.SacConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An online SAC run's directory: {@code run.json} (task, SAC settings, loop settings), {@code
 * metrics.jsonl} (one row per logging interval, step = environment steps), {@code replay.log} (the
 * replay buffer, see ReplayLog; a resume that had to refill it is listed in run.json's {@code
 * replay_refills}), {@code checkpoints/} and {@code snapshots/step-N.policy} (the actor at each
 * evaluation, with its score, for choosing behaviour policies and replaying the run).
 */
public final class SacRunDirectory {
  static final String RUN_FILE = "run.json";
  private static final String REFILLS = "replay_refills";

  private final Path path;

  private SacRunDirectory(Path path) {
    this.path = path;
  }

  /** What run.json records. */
  public record Description(String task, SacConfig config, OnlineSettings settings) {}

  /** Creates the directory for a new run; an existing run there is refused. */
  public static SacRunDirectory create(Path path, Description description) throws IOException {
    if (Files.exists(path.resolve(RUN_FILE))) {
      throw new IOException(path + " already holds a run (" + RUN_FILE + "); resume it instead");
    }
    Files.createDirectories(path.resolve("snapshots"));
    SacRunDirectory run = new SacRunDirectory(path);
    run.write(description);
    return run;
  }

  /** An existing run. */
  public static SacRunDirectory open(Path path) throws IOException {
    if (!Files.isRegularFile(path.resolve(RUN_FILE))) {
      throw new IOException(path + " is not a SAC run directory (no " + RUN_FILE + ")");
    }
    return new SacRunDirectory(path);
  }

  public Description read() throws IOException {
    JsonObject json = readJson();
    return new Description(
        json.get("task").getAsString(),
        SacConfig.fromJson(json.getAsJsonObject("sac")),
        OnlineSettings.fromJson(json.getAsJsonObject("online")));
  }

  /**
   * Rewrites run.json's description (for example when a resume extends the run), keeping what else
   * it records.
   */
  public void write(Description d) throws IOException {
    JsonObject json = Files.exists(path.resolve(RUN_FILE)) ? readJson() : new JsonObject();
    json.addProperty("task", d.task());
    json.add("sac", d.config().toJson());
    json.add("online", d.settings().toJson());
    writeJson(json);
  }

  /**
   * Records in run.json ({@code replay_refills}) that a resume at {@code envSteps} found no replay
   * log and refilled the buffer with {@code refillRows} steps of the current policy in place of the
   * {@code lostRows} rows the checkpoint had.
   */
  public void recordRefill(long envSteps, long lostRows, long refillRows) throws IOException {
    JsonObject json = readJson();
    JsonArray refills = json.has(REFILLS) ? json.getAsJsonArray(REFILLS) : new JsonArray();
    JsonObject refill = new JsonObject();
    refill.addProperty("at_env_steps", envSteps);
    refill.addProperty("lost_rows", lostRows);
    refill.addProperty("refill_rows", refillRows);
    refills.add(refill);
    json.add(REFILLS, refills);
    writeJson(json);
  }

  private JsonObject readJson() throws IOException {
    return JsonParser.parseString(Files.readString(path.resolve(RUN_FILE), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private void writeJson(JsonObject json) throws IOException {
    String text = new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n";
    AtomicFiles.write(path.resolve(RUN_FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  public Path path() {
    return path;
  }

  public CheckpointStore checkpoints(int keep) {
    return CheckpointStore.inRun(path).keeping(keep);
  }

  public Path metrics() {
    return path.resolve("metrics.jsonl");
  }

  public Path replayLog() {
    return path.resolve("replay.log");
  }

  public Path snapshot(long envSteps) {
    return path.resolve("snapshots").resolve(String.format("step-%09d.policy", envSteps));
  }
}
