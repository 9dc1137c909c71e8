package io.dtql.evaluator;

import java.util.random.RandomGenerator;

/**
 * Uniform random actions inside the action box: the baseline of rollout smoke tests, and the policy
 * of the quickstart until an agent is trained. Each row's draws come from its episode's stream, so
 * its rollouts are reproducible from the evaluation's seed.
 */
public final class RandomPolicy implements Policy {
  private final double[] low;
  private final double[] high;

  /**
   * @param low per-element lower action bound (finite)
   * @param high per-element upper action bound (finite)
   */
  public RandomPolicy(double[] low, double[] high) {
    if (low.length != high.length) {
      throw new IllegalArgumentException(
          "action bounds differ in length: low " + low.length + ", high " + high.length);
    }
    for (int i = 0; i < low.length; i++) {
      if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || low[i] > high[i]) {
        throw new IllegalArgumentException(
            "action bound "
                + i
                + " must be finite with low <= high, got ["
                + low[i]
                + ", "
                + high[i]
                + "]");
      }
    }
    this.low = low.clone();
    this.high = high.clone();
  }

  @Override
  public float[] act(double[] observations, RandomGenerator[] streams) {
    int numStates = streams.length;
    int actDim = low.length;
    float[] actions = new float[numStates * actDim];
    for (int row = 0; row < numStates; row++) {
      for (int j = 0; j < actDim; j++) {
        actions[row * actDim + j] =
            (float) (low[j] + streams[row].nextDouble() * (high[j] - low[j]));
      }
    }
    return actions;
  }

  @Override
  public String name() {
    return "random";
  }
}
