package io.dtql.agent.dtql;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Per-step random streams for agents: a generator seeded from (run seed, stream, step) needs no
 * saved state, so a run resumed at step k draws exactly the noise an uninterrupted run draws.
 */
public final class RandomStreams {
  /** Stream id of evaluation during training; no agent trains or acts with it. */
  private static final long EVALUATION_STREAM = 0x3C6EF372FE94F82BL;

  private RandomStreams() {}

  /**
   * The generator of an evaluation at {@code step} of a run seeded {@code seed}: its own stream, so
   * evaluating changes no training draw, and a function of the step alone, so a resumed run
   * evaluates with the draws an uninterrupted run would have used.
   */
  public static RandomGenerator evaluation(long seed, long step) {
    return new SplittableRandom(mix(seed ^ EVALUATION_STREAM, step));
  }

  /** SplitMix64 finaliser of (seed, step): independent streams for consecutive steps. */
  public static long mix(long seed, long step) {
    long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** n standard normal floats. */
  public static float[] gaussian(RandomGenerator rng, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rng.nextGaussian();
    }
    return out;
  }
}
