package io.dtql.envbridge;

import java.util.List;

/**
 * A session: {@link #numEnvs()} remote sub-envs of one task, stepped in one call. Actions are
 * row-major {@code [k * actDim]} floats for the k envs addressed. Not thread-safe.
 */
public interface VectorEnv extends AutoCloseable {

  TaskSpec spec();

  /**
   * The info tensors granted to this session ({@link SessionOptions#infoKeys()}): every {@link
   * ResetResult#infos()} and {@link StepResult#infos()} has exactly these keys. Each key's shape is
   * in {@code spec().info(key)}.
   */
  default List<String> infoKeys() {
    return List.of();
  }

  int numEnvs();

  /** The effective seed of each env, as the server reported it. */
  long[] envSeeds();

  String sessionId();

  /** Resets every env without reseeding (the first reset applies the session seeds). */
  ResetResult reset();

  /**
   * Resets the given envs, in that order.
   *
   * @param seedsOrNull one new seed per env id, or null to continue each env's own RNG
   */
  ResetResult reset(int[] envIds, long[] seedsOrNull);

  /** Steps every env; {@code actions} has {@code numEnvs * actDim} values. */
  StepResult step(float[] actions);

  /** Steps the given envs, in that order; {@code actions} has {@code envIds.length * actDim}. */
  StepResult step(int[] envIds, float[] actions);

  /** Closes the session on the server. Idempotent. */
  @Override
  void close();
}
