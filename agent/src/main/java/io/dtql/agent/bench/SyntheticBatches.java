package io.dtql.agent.bench;

import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.ProblemShape;
import java.util.SplittableRandom;

/**
 * Random minibatches of the right shapes, for benchmarks and tests that need a training step's
 * inputs but not a dataset: Gaussian states and rewards, uniform actions inside the action bound,
 * and terminal flags drawn with a given probability.
 */
public final class SyntheticBatches {
  private SyntheticBatches() {}

  public static Batch random(
      ProblemShape shape, int size, SplittableRandom rng, double doneProbability) {
    float[] obs = new float[size * shape.obsDim()];
    float[] next = new float[obs.length];
    float[] act = new float[size * shape.actDim()];
    float[] rew = new float[size];
    float[] done = new float[size];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (float) rng.nextGaussian();
      next[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < act.length; i++) {
      act[i] = (float) (rng.nextDouble(-1, 1) * shape.maxAction());
    }
    for (int i = 0; i < size; i++) {
      rew[i] = (float) rng.nextGaussian();
      done[i] = rng.nextDouble() < doneProbability ? 1f : 0f;
    }
    return new Batch(size, shape.obsDim(), shape.actDim(), obs, act, rew, next, done);
  }
}
