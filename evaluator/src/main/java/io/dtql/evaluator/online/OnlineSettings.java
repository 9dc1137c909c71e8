package io.dtql.evaluator.online;

import com.google.gson.JsonObject;

/**
 * How an online SAC run proceeds, counted in environment steps (one gradient update per environment
 * step once learning has started).
 *
 * @param envSteps total environment steps of the run
 * @param numEnvs environments stepped together (each step adds numEnvs transitions)
 * @param randomSteps uniformly random actions for this many first steps; updates start after them
 * @param evalEvery evaluate (deterministic actions) and save an actor snapshot this often
 * @param evalEpisodes episodes per evaluation
 * @param checkpointEvery save a resumable checkpoint this often (kill -9 loses at most this)
 * @param keepCheckpoints checkpoints kept (the newest ones)
 * @param replayCapacity rows the replay buffer holds (the oldest are overwritten)
 */
public record OnlineSettings(
    long envSteps,
    int numEnvs,
    long randomSteps,
    long evalEvery,
    int evalEpisodes,
    long checkpointEvery,
    int keepCheckpoints,
    int replayCapacity) {
  public OnlineSettings {
    requirePositive("env-steps", envSteps);
    requirePositive("num-envs", numEnvs);
    if (randomSteps < 0) {
      throw new IllegalArgumentException("random-steps must be >= 0, got " + randomSteps);
    }
    requirePositive("eval-every", evalEvery);
    requirePositive("eval-episodes", evalEpisodes);
    requirePositive("checkpoint-every", checkpointEvery);
    requirePositive("keep-checkpoints", keepCheckpoints);
    requirePositive("replay-capacity", replayCapacity);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  /** Common settings for the MuJoCo locomotion tasks: 1M steps, 5k random, eval every 10k. */
  public static OnlineSettings defaults() {
    return new OnlineSettings(1_000_000, 1, 5_000, 10_000, 10, 10_000, 2, 1_000_000);
  }

  /**
   * A new run's settings, keeping the default number of checkpoints, with a replay buffer that
   * holds every step of the run.
   */
  public static OnlineSettings of(
      long envSteps,
      int numEnvs,
      long randomSteps,
      long evalEvery,
      int evalEpisodes,
      long checkpointEvery) {
    return new OnlineSettings(
        envSteps,
        numEnvs,
        randomSteps,
        evalEvery,
        evalEpisodes,
        checkpointEvery,
        defaults().keepCheckpoints(),
        (int) Math.min(Integer.MAX_VALUE, envSteps));
  }

  /** These settings with another evaluation schedule. */
  public OnlineSettings withEvaluation(long every, int episodes) {
    return new OnlineSettings(
        envSteps,
        numEnvs,
        randomSteps,
        every,
        episodes,
        checkpointEvery,
        keepCheckpoints,
        replayCapacity);
  }

  public OnlineSettings withEnvSteps(long steps) {
    return new OnlineSettings(
        steps,
        numEnvs,
        randomSteps,
        evalEvery,
        evalEpisodes,
        checkpointEvery,
        keepCheckpoints,
        replayCapacity);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("env_steps", envSteps);
    json.addProperty("num_envs", numEnvs);
    json.addProperty("random_steps", randomSteps);
    json.addProperty("eval_every", evalEvery);
    json.addProperty("eval_episodes", evalEpisodes);
    json.addProperty("checkpoint_every", checkpointEvery);
    json.addProperty("keep_checkpoints", keepCheckpoints);
    json.addProperty("replay_capacity", replayCapacity);
    return json;
  }

  public static OnlineSettings fromJson(JsonObject json) {
    return new OnlineSettings(
        json.get("env_steps").getAsLong(),
        json.get("num_envs").getAsInt(),
        json.get("random_steps").getAsLong(),
        json.get("eval_every").getAsLong(),
        json.get("eval_episodes").getAsInt(),
        json.get("checkpoint_every").getAsLong(),
        json.get("keep_checkpoints").getAsInt(),
        json.get("replay_capacity").getAsInt());
  }
}
