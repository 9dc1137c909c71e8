package io.dtql.agent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquashedGaussianActorTest {
  @Test
  void logProbabilityIsTheDensityOfTheSquashedAction() {
    int obs = 4;
    int act = 3;
    float maxAction = 2f;
    try (NDManager root = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(root, Map.of())) {
      SquashedGaussianActor actor =
          SquashedGaussianActor.create(
              store, "actor", obs, act, 16, maxAction, new SplittableRandom(1));
      try (NDManager sm = root.newSubManager()) {
        SplittableRandom rng = new SplittableRandom(2);
        float[] states = new float[8 * obs];
        float[] eps = new float[8 * act];
        for (int i = 0; i < states.length; i++) {
          states[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < eps.length; i++) {
          eps[i] = (float) (1.5 * rng.nextGaussian());
        }
        SquashedGaussianActor.Heads h = actor.headsConstant(sm.create(states, new Shape(8, obs)));
        SquashedGaussianActor.Sample s = actor.sample(h, sm.create(eps, new Shape(8, act)), sm);
        float[] mean = h.mean().toFloatArray();
        float[] logStd = h.logStd().toFloatArray();
        float[] actions = s.action().toFloatArray();
        float[] logProbs = s.logProb().toFloatArray();
        assertEquals(8, logProbs.length);
        for (int r = 0; r < 8; r++) {
          double expected = 0;
          for (int j = 0; j < act; j++) {
            int k = r * act + j;
            double u = mean[k] + Math.exp(logStd[k]) * eps[k];
            double std = Math.exp(logStd[k]);
            double gaussian =
                -0.5 * Math.pow((u - mean[k]) / std, 2)
                    - Math.log(std)
                    - 0.5 * Math.log(2 * Math.PI);
            double t = Math.tanh(u);
            assertEquals(t * maxAction, actions[k], 1e-5);
            expected += gaussian - Math.log(maxAction * (1 - t * t));
          }
          assertEquals(expected, logProbs[r], 1e-3 * Math.max(1, Math.abs(expected)), "row " + r);
        }
        NDArray any = s.logProb();
        assertTrue(any.getShape().equals(new Shape(8, 1)));
      }
    }
  }
}
