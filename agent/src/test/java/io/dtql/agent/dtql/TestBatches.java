package io.dtql.agent.dtql;

import io.dtql.agent.bench.SyntheticBatches;
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
    return SyntheticBatches.random(shape, size, new SplittableRandom(seed), 0.1);
  }
}
