package io.dtql.evaluator;

import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.behaviour.StrictNormal;
import java.util.random.RandomGenerator;

/** Evaluation policies from a plain-Java behaviour policy. */
public final class BehaviourPolicies {
  private BehaviourPolicies() {}

  /** Deterministic actions tanh(mean). */
  public static Policy mean(BehaviourPolicy policy) {
    return of(policy, false, "behaviour-mean");
  }

  /** Actions sampled from the policy as collection does, with each episode's noise. */
  public static Policy sampled(BehaviourPolicy policy) {
    return of(policy, true, "behaviour-sampled");
  }

  private static Policy of(BehaviourPolicy policy, boolean sample, String name) {
    return new Policy() {
      @Override
      public float[] act(double[] observations, RandomGenerator[] streams) {
        int numStates = streams.length;
        int act = policy.actDim();
        float[] out = new float[numStates * act];
        double[] heads = policy.heads(observations, 0, numStates);
        for (int i = 0; i < numStates; i++) {
          int at = i * 2 * act;
          float[] a =
              sample
                  ? policy
                      .sampleFromHeads(heads, at, new StrictNormal(streams[i].nextLong()))
                      .action()
                  : policy.meanFromHeads(heads, at);
          System.arraycopy(a, 0, out, i * act, act);
        }
        return out;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
