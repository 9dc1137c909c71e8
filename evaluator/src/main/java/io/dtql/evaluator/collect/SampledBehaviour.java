package io.dtql.evaluator.collect;

import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.behaviour.StrictNormal;
import io.dtql.agent.dtql.RandomStreams;

/**
 * A behaviour policy acting as D4RL's did: actions sampled from the stochastic policy (not its
 * mean), computed in plain Java with each environment's own noise stream, and their
 * log-probabilities recorded.
 */
public final class SampledBehaviour implements CollectionPolicy {
  private static final long NOISE_STREAM = 0x4F1BBCDCBFA53E0BL;

  private final BehaviourPolicy policy;
  private final StrictNormal[] noise;
  private final String name;

  /**
   * @param numEnvs environments of the session (one noise stream each)
   * @param seed collection seed; env i's stream is derived from (seed, i)
   */
  public SampledBehaviour(BehaviourPolicy policy, String name, int numEnvs, long seed) {
    this.policy = policy;
    this.name = name;
    this.noise = new StrictNormal[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      noise[i] = new StrictNormal(RandomStreams.mix(seed ^ NOISE_STREAM, i));
    }
  }

  @Override
  public float[] act(double[] observations, int[] envIds, double[] logProbsOut) {
    int act = policy.actDim();
    float[] out = new float[envIds.length * act];
    for (int j = 0; j < envIds.length; j++) {
      BehaviourPolicy.Action a = policy.sample(observations, j * policy.obsDim(), noise[envIds[j]]);
      System.arraycopy(a.action(), 0, out, j * act, act);
      logProbsOut[j] = a.logProb();
    }
    return out;
  }

  @Override
  public boolean recordsLogProbs() {
    return true;
  }

  @Override
  public String name() {
    return name;
  }
}
