package io.dtql.agent.dtql;

import java.util.random.RandomGenerator;

/**
 * Per-step random streams for agents: a generator seeded from (run seed, stream, step) needs no
 * saved state, so a run resumed at step k draws exactly the noise an uninterrupted run draws.
 */
public final class RandomStreams {
  private RandomStreams() {}

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
