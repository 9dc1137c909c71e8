package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.TwinQ;
import java.util.random.RandomGenerator;

/**
 * How DTQL acts: the one-step policy proposes candidate actions and the target critic picks among
 * them. Shared by the training agent and the inference-only {@link OneStepPolicy}, so evaluation
 * acts exactly as the agent in training would.
 */
final class CandidateSelection {
  private final NDManager parent;
  private final ProblemShape shape;
  private final GaussianActor actor;
  private final TwinQ targetCritic;
  private final int numCandidates;

  /**
   * @param parent the manager whose sub-managers hold each call's temporary arrays (the device the
   *     networks live on)
   */
  CandidateSelection(
      NDManager parent,
      ProblemShape shape,
      GaussianActor actor,
      TwinQ targetCritic,
      int numCandidates) {
    this.parent = parent;
    this.shape = shape;
    this.actor = actor;
    this.targetCritic = targetCritic;
    this.numCandidates = numCandidates;
  }

  /**
   * Actions for {@code numStates} states ({@code observations} is [numStates * obsDim]); returns
   * [numStates * actDim]. REFERENCE: numCandidates samples of pi per state, scored by the target
   * critic's min(Q1, Q2), one drawn from softmax(Q); DETERMINISTIC: tanh(mean) * maxAction. Every
   * random draw comes from {@code random}; every array lives in a sub-manager closed before
   * returning, so selection leaves no native memory.
   */
  float[] select(float[] observations, int numStates, SelectionMode mode, RandomGenerator random) {
    int obs = shape.obsDim();
    int act = shape.actDim();
    if (numStates <= 0 || observations.length != (long) numStates * obs) {
      throw new IllegalArgumentException(
          "observations must hold num-states * obs-dim = "
              + numStates
              + " * "
              + obs
              + " floats, got "
              + observations.length);
    }
    try (NDManager sm = parent.newSubManager()) {
      if (mode == SelectionMode.DETERMINISTIC) {
        NDArray states = sm.create(observations, new Shape(numStates, obs));
        return actor.meanAction(actor.heads(states)).toFloatArray();
      }
      int k = numCandidates;
      int rows = numStates * k;
      float[] repeated = new float[rows * obs];
      for (int i = 0; i < numStates; i++) {
        for (int j = 0; j < k; j++) {
          System.arraycopy(observations, i * obs, repeated, (i * k + j) * obs, obs);
        }
      }
      NDArray states = sm.create(repeated, new Shape(rows, obs));
      // The policy's mean and std depend only on the state: compute them once per state and
      // broadcast over the K candidates instead of running the actor on N*K identical rows.
      GaussianActor.Heads heads =
          actor.heads(sm.create(observations, new Shape(numStates, obs))); // (N, act)
      GaussianActor.Heads perState =
          new GaussianActor.Heads(
              heads.mean().reshape(numStates, 1, act), heads.logStd().reshape(numStates, 1, act));
      NDArray eps =
          sm.create(RandomStreams.gaussian(random, rows * act), new Shape(numStates, k, act));
      NDArray candidates = actor.sample(perState, eps).reshape(rows, act); // (N*K, act)
      NDArray q = targetCritic.minConstant(states.concat(candidates, 1)); // (N*K, 1)
      float[] probs = q.reshape(numStates, k).softmax(1).toFloatArray();
      float[] cand = candidates.toFloatArray();
      float[] out = new float[numStates * act];
      for (int i = 0; i < numStates; i++) {
        int chosen = drawIndex(probs, i * k, k, random.nextDouble());
        System.arraycopy(cand, (i * k + chosen) * act, out, i * act, act);
      }
      return out;
    }
  }

  private static int drawIndex(float[] probs, int offset, int count, double u) {
    double total = 0;
    for (int j = 0; j < count; j++) {
      total += probs[offset + j];
    }
    double threshold = u * total;
    double cumulative = 0;
    for (int j = 0; j < count; j++) {
      cumulative += probs[offset + j];
      if (cumulative > threshold) {
        return j;
      }
    }
    return count - 1;
  }
}
