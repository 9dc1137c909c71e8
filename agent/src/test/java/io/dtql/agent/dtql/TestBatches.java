package io.dtql.agent.dtql;

import java.util.SplittableRandom;

/** Random but seeded minibatches and small configs for agent tests. */
final class TestBatches {
  private TestBatches() {}

  static DtqlConfig smallConfig(long seed, long pretrainSteps, double gamma, boolean lrDecay) {
    return new DtqlConfig(
        "test",
        seed,
        32,
        16,
        3e-4,
        3e-4,
        lrDecay,
        1000,
        pretrainSteps,
        1.0,
        gamma,
        0.99,
        0.7,
        0.005,
        0.0,
        64);
  }

  static Batch random(ProblemShape shape, int size, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] obs = new float[size * shape.obsDim()];
    float[] next = new float[size * shape.obsDim()];
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
      done[i] = rng.nextDouble() < 0.1 ? 1f : 0f;
    }
    return new Batch(size, shape.obsDim(), shape.actDim(), obs, act, rew, next, done);
  }
}
