package io.dtql.agent.data;

import java.util.Objects;

/**
 * One Minari episode of {@code steps} steps, row-major float32: {@code observations} holds steps +
 * 1 rows (initial and final observation), {@code actions} steps rows, {@code rewards}, {@code
 * terminations} and {@code truncations} steps values.
 */
public record MinariEpisode(
    int obsDim,
    int actDim,
    float[] observations,
    float[] actions,
    float[] rewards,
    boolean[] terminations,
    boolean[] truncations) {
  public MinariEpisode {
    if (obsDim <= 0) {
      throw new IllegalArgumentException("obsDim must be > 0, got " + obsDim);
    }
    if (actDim <= 0) {
      throw new IllegalArgumentException("actDim must be > 0, got " + actDim);
    }
    int steps = Objects.requireNonNull(rewards, "rewards").length;
    if (Objects.requireNonNull(observations, "observations").length != (steps + 1L) * obsDim) {
      throw new IllegalArgumentException(
          "observations must hold (steps + 1) * obsDim = "
              + (steps + 1L) * obsDim
              + " floats, got "
              + observations.length);
    }
    if (Objects.requireNonNull(actions, "actions").length != (long) steps * actDim) {
      throw new IllegalArgumentException(
          "actions must hold steps * actDim = "
              + (long) steps * actDim
              + " floats, got "
              + actions.length);
    }
    if (Objects.requireNonNull(terminations, "terminations").length != steps) {
      throw new IllegalArgumentException(
          "terminations must hold " + steps + " flags, got " + terminations.length);
    }
    if (Objects.requireNonNull(truncations, "truncations").length != steps) {
      throw new IllegalArgumentException(
          "truncations must hold " + steps + " flags, got " + truncations.length);
    }
  }

  /** Number of steps T. */
  public int steps() {
    return rewards.length;
  }
}
