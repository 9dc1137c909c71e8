package io.dtql.evaluator.online;

import com.google.gson.GsonBuilder;
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
 * replay buffer, see ReplayLog), {@code checkpoints/} and {@code snapshots/step-N.policy} (the
 * actor at each evaluation, with its score, for choosing behaviour policies and replaying the run).
 */
public final class SacRunDirectory {
  static final String RUN_FILE = "run.json";

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
    JsonObject json =
        JsonParser.parseString(Files.readString(path.resolve(RUN_FILE), StandardCharsets.UTF_8))
            .getAsJsonObject();
    return new Description(
        json.get("task").getAsString(),
        SacConfig.fromJson(json.getAsJsonObject("sac")),
        OnlineSettings.fromJson(json.getAsJsonObject("online")));
  }

  /** Rewrites run.json (for example when a resume extends the run). */
  public void write(Description d) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("task", d.task());
    json.add("sac", d.config().toJson());
    json.add("online", d.settings().toJson());
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
