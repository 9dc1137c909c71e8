package io.dtql.evaluator.collect;

import io.dtql.agent.dtql.RandomStreams;
import io.dtql.evaluator.Policy;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What acts while a dataset is collected. Unlike an evaluation {@link Policy} it is told which
 * environments the states belong to, so a stochastic policy can draw each environment's noise from
 * that environment's own stream (the data then does not depend on which envs happened to be stepped
 * together), and it reports the log-probability of each action it samples.
 */
public interface CollectionPolicy extends AutoCloseable {
  /**
   * @param observations row-major, one row per entry of {@code envIds}
   * @param logProbsOut where {@link #recordsLogProbs()}, receives log pi(a|s) of each action
   * @return row-major actions, one row per entry of {@code envIds}
   */
  float[] act(double[] observations, int[] envIds, double[] logProbsOut);

  /** True if the actions are sampled from a density this policy can report. */
  boolean recordsLogProbs();

  /** A short name for reports and metadata. */
  String name();

  @Override
  default void close() {}

  /**
   * An evaluation policy (for example a DTQL checkpoint) used for collection; no log-probs. Env i
   * draws the policy's randomness from a stream of (seed, i) of its own.
   */
  static CollectionPolicy of(Policy policy, long seed) {
    Map<Integer, RandomGenerator> streams = new HashMap<>();
    return new CollectionPolicy() {
      @Override
      public float[] act(double[] observations, int[] envIds, double[] logProbsOut) {
        RandomGenerator[] rows = new RandomGenerator[envIds.length];
        for (int j = 0; j < envIds.length; j++) {
          rows[j] =
              streams.computeIfAbsent(
                  envIds[j], id -> new SplittableRandom(RandomStreams.mix(seed, id)));
        }
        return policy.act(observations, rows);
      }

      @Override
      public boolean recordsLogProbs() {
        return false;
      }

      @Override
      public String name() {
        return policy.name();
      }

      @Override
      public void close() {
        policy.close();
      }
    };
  }
}
