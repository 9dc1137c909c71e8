package io.dtql.envbridge;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The first observations of the envs that were reset, in {@code envIds} order.
 *
 * <p>Arrays are handed over without copying (this is on the rollout path); treat them as read-only.
 *
 * @param observations row-major {@code [envIds.length * obsDim]}
 * @param infos the info tensors the session asked for ({@link SessionOptions#infoKeys()}), each
 *     row-major {@code [envIds.length * width]} (width: {@link #infoWidth}), row j describing the
 *     state observation j was made from; empty if the session asked for none
 */
public record ResetResult(
    int[] envIds, int obsDim, double[] observations, Map<String, double[]> infos) {

  /** A result without infos. */
  public ResetResult(int[] envIds, int obsDim, double[] observations) {
    this(envIds, obsDim, observations, Map.of());
  }

  public ResetResult {
    Objects.requireNonNull(envIds, "envIds");
    Objects.requireNonNull(observations, "observations");
    if (obsDim < 0) {
      throw new IllegalArgumentException("obsDim must be >= 0, got " + obsDim);
    }
    if ((long) envIds.length * obsDim != observations.length) {
      throw new IllegalArgumentException(
          "observations must have envIds.length*obsDim="
              + (long) envIds.length * obsDim
              + " values, got "
              + observations.length);
    }
    infos = Infos.checked(infos, envIds.length);
  }

  /** Number of envs in this result. */
  public int size() {
    return envIds.length;
  }

  /**
   * Copies each reset env's observation into its row of a per-env array ({@code [numEnvs *
   * obsDim]}, indexed by env id), leaving the other envs' rows as they are.
   */
  public void copyObservationsTo(double[] perEnvObservations) {
    for (int j = 0; j < envIds.length; j++) {
      System.arraycopy(observations, j * obsDim, perEnvObservations, envIds[j] * obsDim, obsDim);
    }
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
