package io.dtql.evaluator.collect;

import io.dtql.agent.dtql.RandomStreams;
import io.dtql.agent.train.SplitMix64;

/**
 * D4RL's "random" behaviour: actions uniform in the action box, each environment with its own
 * SplitMix64 stream (integer arithmetic, so the same on every machine). The log-density of every
 * action is -sum(log(high - low)).
 */
public final class UniformActions implements CollectionPolicy {
  private static final long STREAM = 0x2A9E3B5C7D1F4E6AL;
  private static final double INV_2_POW_53 = 1.0 / (1L << 53);

  private final double[] low;
  private final double[] high;
  private final SplitMix64[] streams;
  private final double logDensity;

  public UniformActions(double[] low, double[] high, int numEnvs, long seed) {
    this.low = low.clone();
    this.high = high.clone();
    double logVolume = 0;
    for (int i = 0; i < low.length; i++) {
      if (!(Double.isFinite(low[i]) && Double.isFinite(high[i]) && low[i] < high[i])) {
        throw new IllegalArgumentException(
            "action bound "
                + i
                + " must be finite with low < high, got ["
                + low[i]
                + ", "
                + high[i]
                + "]");
      }
      logVolume += StrictMath.log(high[i] - low[i]);
    }
    this.logDensity = -logVolume;
    this.streams = new SplitMix64[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      streams[i] = new SplitMix64(RandomStreams.mix(seed ^ STREAM, i));
    }
  }

  @Override
  public float[] act(double[] observations, int[] envIds, double[] logProbsOut) {
    int act = low.length;
    float[] out = new float[envIds.length * act];
    for (int j = 0; j < envIds.length; j++) {
      SplitMix64 rng = streams[envIds[j]];
      for (int k = 0; k < act; k++) {
        double u = (rng.nextLong() >>> 11) * INV_2_POW_53;
        out[j * act + k] = (float) (low[k] + u * (high[k] - low[k]));
      }
      logProbsOut[j] = logDensity;
    }
    return out;
  }

  @Override
  public boolean recordsLogProbs() {
    return true;
  }

  @Override
  public String name() {
    return "uniform-random";
  }
}
