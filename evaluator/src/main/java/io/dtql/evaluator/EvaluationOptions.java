package io.dtql.evaluator;

/**
 * How to evaluate a policy on one task.
 *
 * @param episodes episodes in total
 * @param numEnvs sub-environments stepped together in one session (at most {@code episodes} are
 *     used)
 * @param seed base seed: env i of the session is seeded {@code seed + i}
 */
public record EvaluationOptions(int episodes, int numEnvs, long seed) {
  public EvaluationOptions {
    if (episodes <= 0) {
      throw new IllegalArgumentException("episodes must be > 0, got " + episodes);
    }
    if (numEnvs <= 0) {
      throw new IllegalArgumentException("num-envs must be > 0, got " + numEnvs);
    }
  }

  /** Sub-environments actually worth creating: no more than there are episodes. */
  public int effectiveNumEnvs() {
    return Math.min(numEnvs, episodes);
  }
}
