package io.dtql.envbridge;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one step for each stepped env, in {@code envIds} order. Where {@code
 * resetHappened[i]} is true the env was auto-reset instead of stepped: its observation is the new
 * episode's first, its reward 0 and both flags false.
 *
 * <p>Arrays are handed over without copying (this is on the rollout path); treat them as read-only.
 *
 * @param observations row-major {@code [envIds.length * obsDim]}
 * @param episodeSteps steps taken in the current episode after this call (0 after an auto-reset)
 * @param infos the info tensors the session asked for ({@link SessionOptions#infoKeys()}), each
 *     row-major {@code [envIds.length * width]} (width: {@link #infoWidth}), row j describing the
 *     state observation j was made from: after the step, or after the auto-reset where {@code
 *     resetHappened[j]}; empty if the session asked for none
 */
public record StepResult(
    int[] envIds,
    int obsDim,
    double[] observations,
    double[] rewards,
    boolean[] terminated,
    boolean[] truncated,
    boolean[] resetHappened,
    EnvStatus[] status,
    int[] episodeSteps,
    Map<String, double[]> infos) {

  /** A result without infos. */
  public StepResult(
      int[] envIds,
      int obsDim,
      double[] observations,
      double[] rewards,
      boolean[] terminated,
      boolean[] truncated,
      boolean[] resetHappened,
      EnvStatus[] status,
      int[] episodeSteps) {
    this(
        envIds,
        obsDim,
        observations,
        rewards,
        terminated,
        truncated,
        resetHappened,
        status,
        episodeSteps,
        Map.of());
  }

  public StepResult {
    Objects.requireNonNull(envIds, "envIds");
    int k = envIds.length;
    if (obsDim < 0) {
      throw new IllegalArgumentException("obsDim must be >= 0, got " + obsDim);
    }
    requireLength(
        "observations",
        Objects.requireNonNull(observations, "observations").length,
        (long) k * obsDim);
    requireLength("rewards", Objects.requireNonNull(rewards, "rewards").length, k);
    requireLength("terminated", Objects.requireNonNull(terminated, "terminated").length, k);
    requireLength("truncated", Objects.requireNonNull(truncated, "truncated").length, k);
    requireLength(
        "resetHappened", Objects.requireNonNull(resetHappened, "resetHappened").length, k);
    requireLength("status", Objects.requireNonNull(status, "status").length, k);
    requireLength("episodeSteps", Objects.requireNonNull(episodeSteps, "episodeSteps").length, k);
    infos = Infos.checked(infos, k);
  }

  private static void requireLength(String field, int actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          field + " must have " + expected + " values, got " + actual);
    }
  }

  /** Number of envs in this result. */
  public int size() {
    return envIds.length;
  }

  /** True if row {@code row}'s episode ended on this step (terminated or truncated). */
  public boolean episodeEnded(int row) {
    return terminated[row] || truncated[row];
  }

  /** A copy of row {@code row}'s observation. */
  public double[] observation(int row) {
    return Arrays.copyOfRange(observations, row * obsDim, (row + 1) * obsDim);
  }

  /**
   * Values per env of info {@code key} (e.g. nq for {@code "qpos"}).
   *
   * @throws IllegalArgumentException if this result has no such info
   */
  public int infoWidth(String key) {
    return Infos.width(infos, key, envIds.length);
  }

  /**
   * A copy of row {@code row}'s values of info {@code key}.
   *
   * @throws IllegalArgumentException if this result has no such info
   */
  public double[] info(String key, int row) {
    return Infos.row(infos, key, envIds.length, row);
  }
}
