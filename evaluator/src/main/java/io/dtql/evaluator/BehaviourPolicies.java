package io.dtql.evaluator;

import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.behaviour.StrictNormal;

/** Evaluation policies from a plain-Java behaviour policy. */
public final class BehaviourPolicies {
  private BehaviourPolicies() {}

  /** Deterministic actions tanh(mean). */
  public static Policy mean(BehaviourPolicy policy) {
    return of(policy, null, "behaviour-mean");
  }

  /** Actions sampled from the policy as collection does, from one seeded noise stream. */
  public static Policy sampled(BehaviourPolicy policy, long seed) {
    return of(policy, new StrictNormal(seed), "behaviour-sampled");
  }

  private static Policy of(BehaviourPolicy policy, StrictNormal noise, String name) {
    return new Policy() {
      @Override
      public float[] act(double[] observations, int numStates) {
        int act = policy.actDim();
        float[] out = new float[numStates * act];
        double[] heads = policy.heads(observations, 0, numStates);
        for (int i = 0; i < numStates; i++) {
          int at = i * 2 * act;
          float[] a =
              noise == null
                  ? policy.meanFromHeads(heads, at)
                  : policy.sampleFromHeads(heads, at, noise).action();
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
