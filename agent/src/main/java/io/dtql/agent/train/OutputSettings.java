package io.dtql.agent.train;

import com.google.gson.JsonObject;
import io.dtql.agent.checkpoint.CheckpointStore;
import java.util.Objects;

/**
 * What a run writes besides learning: how often it checkpoints, logs and evaluates, how many
 * checkpoints it keeps and whether it also writes {@code metrics.csv} and TensorBoard event files.
 * Recorded in {@code config.json}; a resumed run keeps them unless its command line changes them
 * (they do not affect what is learned).
 *
 * @param checkpointEvery save a checkpoint every this many steps, and always at the end (0 = only
 *     at the end)
 * @param keepCheckpoints keep only this many newest checkpoints (0 = keep every one)
 * @param logEvery write a metrics row every this many steps
 * @param writeCsv also write {@code metrics.csv}
 * @param writeTensorBoard also write TensorBoard event files into {@code tensorboard/}
 * @param evaluation evaluation during training (its period is a multiple of {@code logEvery}, so
 *     every evaluation has a metrics row to go into)
 */
public record OutputSettings(
    long checkpointEvery,
    int keepCheckpoints,
    long logEvery,
    boolean writeCsv,
    boolean writeTensorBoard,
    EvaluationSettings evaluation) {
  /** A new run's settings when no flag changes them. */
  public static final OutputSettings DEFAULTS = new OutputSettings(50_000, 3, 1000, false);

  public OutputSettings {
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpoint-every must be >= 0, got " + checkpointEvery);
    }
    if (keepCheckpoints < CheckpointStore.KEEP_ALL) {
      throw new IllegalArgumentException(
          "keep-checkpoints must be >= 0 (0 keeps all), got " + keepCheckpoints);
    }
    if (logEvery <= 0) {
      throw new IllegalArgumentException("log-every must be > 0, got " + logEvery);
    }
    Objects.requireNonNull(evaluation, "evaluation");
    if (evaluation.every() % logEvery != 0) {
      throw new IllegalArgumentException(
          "eval-every "
              + evaluation.every()
              + " must be a multiple of log-every "
              + logEvery
              + " (each evaluation goes into a metrics row)");
    }
  }

  /** Settings without evaluation during training nor TensorBoard files. */
  public OutputSettings(
      long checkpointEvery, int keepCheckpoints, long logEvery, boolean writeCsv) {
    this(checkpointEvery, keepCheckpoints, logEvery, writeCsv, EvaluationSettings.OFF);
  }

  /** Settings without TensorBoard files. */
  public OutputSettings(
      long checkpointEvery,
      int keepCheckpoints,
      long logEvery,
      boolean writeCsv,
      EvaluationSettings evaluation) {
    this(checkpointEvery, keepCheckpoints, logEvery, writeCsv, false, evaluation);
  }

  /** These settings with each non-null argument replacing its field (null keeps the field). */
  public OutputSettings with(
      Long checkpointEvery,
      Integer keepCheckpoints,
      Long logEvery,
      Boolean writeCsv,
      Boolean writeTensorBoard,
      Long evalEvery,
      Integer evalEpisodes) {
    return new OutputSettings(
        checkpointEvery != null ? checkpointEvery : this.checkpointEvery,
        keepCheckpoints != null ? keepCheckpoints : this.keepCheckpoints,
        logEvery != null ? logEvery : this.logEvery,
        writeCsv != null ? writeCsv : this.writeCsv,
        writeTensorBoard != null ? writeTensorBoard : this.writeTensorBoard,
        new EvaluationSettings(
            evalEvery != null ? evalEvery : evaluation.every(),
            evalEpisodes != null ? evalEpisodes : evaluation.episodes()));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("checkpoint_every", checkpointEvery);
    json.addProperty("keep_checkpoints", keepCheckpoints);
    json.addProperty("log_every", logEvery);
    json.addProperty("metrics_csv", writeCsv);
    json.addProperty("metrics_tensorboard", writeTensorBoard);
    json.addProperty("eval_every", evaluation.every());
    json.addProperty("eval_episodes", evaluation.episodes());
    return json;
  }

  /** Reads {@link #toJson()}'s form; a field missing (an older run) takes its default. */
  static OutputSettings fromJson(JsonObject json) {
    return new OutputSettings(
        json.has("checkpoint_every")
            ? json.get("checkpoint_every").getAsLong()
            : DEFAULTS.checkpointEvery,
        json.has("keep_checkpoints")
            ? json.get("keep_checkpoints").getAsInt()
            : DEFAULTS.keepCheckpoints,
        json.has("log_every") ? json.get("log_every").getAsLong() : DEFAULTS.logEvery,
        json.has("metrics_csv") ? json.get("metrics_csv").getAsBoolean() : DEFAULTS.writeCsv,
        json.has("metrics_tensorboard")
            ? json.get("metrics_tensorboard").getAsBoolean()
            : DEFAULTS.writeTensorBoard,
        new EvaluationSettings(
            json.has("eval_every") ? json.get("eval_every").getAsLong() : 0,
            json.has("eval_episodes")
                ? json.get("eval_episodes").getAsInt()
                : EvaluationSettings.DEFAULT_EPISODES));
  }
}
