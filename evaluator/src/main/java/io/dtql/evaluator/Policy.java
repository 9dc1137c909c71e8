package io.dtql.evaluator;

import java.util.random.RandomGenerator;

/**
 * Maps a batch of observations to a batch of actions. Each row belongs to one running episode and
 * comes with that episode's random stream: a stochastic policy draws row j's randomness from {@code
 * streams[j]} only, so an episode's actions do not depend on which other episodes share the call
 * (and an evaluation gives the same episodes for any number of parallel environments).
 */
public interface Policy extends AutoCloseable {
  /**
   * @param observations row-major [streams.length * obsDim]
   * @param streams the random stream of the episode in each row
   * @return row-major [streams.length * actDim] actions
   */
  float[] act(double[] observations, RandomGenerator[] streams);

  /** A short name for reports, e.g. {@code random} or {@code dtql@1000000}. */
  String name();

  /** Releases what the policy holds (native memory of a network); a no-op by default. */
  @Override
  default void close() {}

  /** This policy under another name (to tell runs apart in a report); closing closes this. */
  default Policy named(String newName) {
    Policy self = this;
    return new Policy() {
      @Override
      public float[] act(double[] observations, RandomGenerator[] streams) {
        return self.act(observations, streams);
      }

      @Override
      public String name() {
        return newName;
      }

      @Override
      public void close() {
        self.close();
      }
    };
  }
}
