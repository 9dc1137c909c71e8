package io.dtql.agent.data;

import java.util.Objects;

/**
 * The per-step arrays of a D4RL-layout file before transition building, row-major float32: {@code
 * observations} [rows * obsDim], {@code actions} [rows * actDim], {@code rewards}, {@code
 * terminals} and {@code timeouts} [rows]. Arrays are held, not copied; equality is by identity (a
 * record of arrays).
 */
public record D4rlData(
    int obsDim,
    int actDim,
    float[] observations,
    float[] actions,
    float[] rewards,
    boolean[] terminals,
    boolean[] timeouts) {
  public D4rlData {
    if (obsDim <= 0) {
      throw new IllegalArgumentException("obsDim must be > 0, got " + obsDim);
    }
    if (actDim <= 0) {
      throw new IllegalArgumentException("actDim must be > 0, got " + actDim);
    }
    Objects.requireNonNull(rewards, "rewards");
    int rows = rewards.length;
    Objects.requireNonNull(observations, "observations");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(terminals, "terminals");
    Objects.requireNonNull(timeouts, "timeouts");
    if (observations.length != (long) rows * obsDim) {
      throw new IllegalArgumentException(
          "observations must hold rows * obsDim = "
              + (long) rows * obsDim
              + " floats, got "
              + observations.length);
    }
    if (actions.length != (long) rows * actDim) {
      throw new IllegalArgumentException(
          "actions must hold rows * actDim = "
              + (long) rows * actDim
              + " floats, got "
              + actions.length);
    }
    if (terminals.length != rows) {
      throw new IllegalArgumentException(
          "terminals must hold " + rows + " flags, got " + terminals.length);
    }
    if (timeouts.length != rows) {
      throw new IllegalArgumentException(
          "timeouts must hold " + rows + " flags, got " + timeouts.length);
    }
  }

  /** Number of stored steps (rows). */
  public int rows() {
    return rewards.length;
  }
}
