package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.ParameterStore;
import io.dtql.agent.nn.ScoreNetwork;
import io.dtql.agent.nn.SinusoidalEmbedding;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each loss on tiny tensors against numbers computed here with plain Java doubles. */
class LossFormulaTest {
  @Test
  void expectileLossWeighsPositiveErrorsByTauAndNegativeByOneMinusTau() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray diff = m.create(new float[] {2f, -1f, 0.5f});
      double tau = 0.7;
      double expected = (0.7 * 4 + 0.3 * 1 + 0.7 * 0.25) / 3;
      assertEquals(expected, DtqlLosses.expectile(diff, tau).getFloat(), 1e-6);
    }
  }

  @Test
  void qTargetBootstrapsOnlyWhenNotDone() {
    try (NDManager m = NDManager.newBaseManager()) {
      double discount = 0.99;
      float[] done = {0f, 1f};
      float[] notDone = {(float) ((1 - done[0]) * discount), (float) ((1 - done[1]) * discount)};
      NDArray t =
          DtqlLosses.qTarget(
              m.create(new float[] {1f, 2f}), m.create(notDone), m.create(new float[] {10f, 10f}));
      assertArrayEquals(new float[] {(float) (1 + 0.99 * 10), 2f}, t.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void mseIsTheMeanSquaredError() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray l = DtqlLosses.mse(m.create(new float[] {1f, 3f}), m.create(new float[] {0f, 1f}));
      assertEquals((1 + 4) / 2.0, l.getFloat(), 1e-6);
    }
  }

  @Test
  void edmPreconditioningMatchesTheFormulasAtTwoNoiseLevels() {
    for (double sigma : new double[] {0.5, 2.0}) {
      double sd2 = 0.25;
      assertEquals(sd2 / (sigma * sigma + sd2), EdmDiffusion.cSkip(sigma), 1e-12);
      assertEquals(sigma * 0.5 / Math.sqrt(sigma * sigma + sd2), EdmDiffusion.cOut(sigma), 1e-12);
      assertEquals(1 / Math.sqrt(sigma * sigma + sd2), EdmDiffusion.cIn(sigma), 1e-12);
    }
    // At sigma = sigma_data the skip and output weights balance: c_skip = 1/2, c_out = sd/sqrt2.
    assertEquals(0.5, EdmDiffusion.cSkip(0.5), 1e-12);
    assertEquals(0.5 / Math.sqrt(2), EdmDiffusion.cOut(0.5), 1e-12);
    assertEquals(0.25 / 4.25, EdmDiffusion.cSkip(2.0), 1e-12);
  }

  @Test
  void sigmaSamplingIsTruncatedLogLogisticWithMedianHalf() {
    assertEquals(EdmDiffusion.SIGMA_MIN, EdmDiffusion.sigmaFromUniform(0.0), 1e-9);
    assertEquals(EdmDiffusion.SIGMA_MAX, EdmDiffusion.sigmaFromUniform(1.0 - 1e-15), 1e-3);
    // The truncation removes almost no mass, so the median stays at exp(loc) = 0.5.
    assertEquals(0.5, EdmDiffusion.sigmaFromUniform(0.5), 1e-4);
    SplittableRandom rng = new SplittableRandom(1);
    int below = 0;
    for (int i = 0; i < 20000; i++) {
      double s = EdmDiffusion.sigmaFromUniform(rng.nextDouble());
      assertTrue(s >= EdmDiffusion.SIGMA_MIN && s <= EdmDiffusion.SIGMA_MAX, "sigma " + s);
      if (s < 0.5 * Math.E) { // log sigma below loc + 2 * scale: logistic CDF(2) = 0.8808
        below++;
      }
    }
    assertEquals(0.8808, below / 20000.0, 0.01);
  }

  @Test
  void diffusionLossAppliesPreconditioningAndClampAroundTheNetwork() {
    int b = 2;
    int act = 2;
    int obs = 3;
    float max = 1f;
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      ScoreNetwork net = ScoreNetwork.create(store, "bc", obs, act, 8, new SplittableRandom(3));
      float[] x0 = {0.2f, -0.9f, 0.5f, 0.1f};
      float[] s = {1f, 0f, -1f, 0.5f, 0.5f, 0.5f};
      EdmDiffusion.NoiseDraw draw =
          new EdmDiffusion.NoiseDraw(
              b, act, new float[] {1f, -2f, 0.3f, 0f}, new double[] {0.5, 2});
      NDArray states = m.create(s, new Shape(b, obs));
      double loss =
          EdmDiffusion.behaviourCloningLoss(
                  net, m.create(x0, new Shape(b, act)), states, draw, max, m)
              .getFloat();

      // Recompute by hand around the same network's raw output F.
      float[] scaled = new float[b * act];
      float[] noisy = new float[b * act];
      float[] time = new float[b * SinusoidalEmbedding.WIDTH];
      for (int i = 0; i < b; i++) {
        double sig = draw.sigma()[i];
        for (int j = 0; j < act; j++) {
          noisy[i * act + j] = (float) (x0[i * act + j] + sig * draw.eps()[i * act + j]);
          scaled[i * act + j] = (float) (noisy[i * act + j] / Math.sqrt(sig * sig + 0.25));
        }
        SinusoidalEmbedding.embed(Math.log(sig) / 4, time, i * SinusoidalEmbedding.WIDTH);
      }
      float[] f =
          net.forward(
                  m.create(scaled, new Shape(b, act)),
                  states,
                  m.create(time, new Shape(b, SinusoidalEmbedding.WIDTH)),
                  false)
              .toFloatArray();
      double sum = 0;
      for (int i = 0; i < b; i++) {
        double sig = draw.sigma()[i];
        double cSkip = 0.25 / (sig * sig + 0.25);
        double cOut = sig * 0.5 / Math.sqrt(sig * sig + 0.25);
        for (int j = 0; j < act; j++) {
          double d = cOut * f[i * act + j] + cSkip * noisy[i * act + j];
          d = Math.max(-max, Math.min(max, d));
          double e = (d - x0[i * act + j]) / cOut;
          sum += e * e;
        }
      }
      assertEquals(sum / (b * act), loss, 1e-4 * Math.max(1, sum));
    }
  }

  @Test
  void trustRegionGradientReachesTheActionButNotTheFrozenNetwork() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      ScoreNetwork net = ScoreNetwork.create(store, "bc", 3, 2, 8, new SplittableRandom(4));
      NDArray x0 = m.create(new float[] {0.1f, 0.2f, -0.3f, 0.4f}, new Shape(2, 2));
      x0.setRequiresGradient(true);
      NDArray states = m.create(new float[6], new Shape(2, 3));
      EdmDiffusion.NoiseDraw draw = EdmDiffusion.draw(new SplittableRandom(5), 2, 2);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(EdmDiffusion.trustRegionLoss(net, x0, states, draw, 1f, m));
      }
      assertTrue(x0.getGradient().abs().sum().getFloat() > 0, "action gradient is zero");
      for (NDArray p : net.parameters()) {
        assertEquals(0f, p.getGradient().abs().sum().getFloat(), p.getName());
      }
    }
  }

  /**
   * The policy's action is never a leaf: it comes out of the actor's graph. The trust-region
   * gradient must then follow x0 along both paths (into the frozen network through x0 + sigma eps,
   * and through the target -x0), as a central difference of the loss shows. Before the fix the
   * branch was chosen by DJL's hasGradient(), which is false for non-leaf tensors, so the noisy
   * input was formed as a constant and only the -x0 path carried gradient.
   */
  @Test
  void trustRegionGradientOfANonLeafActionFollowsTheNetworkPathToo() {
    int b = 2;
    int act = 2;
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      ScoreNetwork net = ScoreNetwork.create(store, "bc", 3, act, 16, new SplittableRandom(7));
      NDArray states = m.create(new float[] {0.3f, -0.2f, 0.5f, 1f, 0f, -1f}, new Shape(b, 3));
      // A small noise level (where the skip path nearly cancels the target) and a large one.
      EdmDiffusion.NoiseDraw draw =
          new EdmDiffusion.NoiseDraw(
              b, act, new float[] {0.7f, -1.1f, 0.4f, 0.9f}, new double[] {0.05, 1.5});
      float[] w0 = {0.15f, -0.3f, 0.2f, 0.35f};
      NDArray w = m.create(w0, new Shape(b, act));
      w.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray x0 = w.mul(m.create(2f)); // not a leaf, like the policy's action
        gc.backward(EdmDiffusion.trustRegionLoss(net, x0, states, draw, 1f, m));
      }
      float[] grad = w.getGradient().toFloatArray();
      double h = 1e-3;
      for (int k = 0; k < b * act; k++) {
        float[] plus = new float[b * act];
        float[] minus = new float[b * act];
        for (int i = 0; i < plus.length; i++) {
          plus[i] = 2 * w0[i] + (i == k ? (float) h : 0f);
          minus[i] = 2 * w0[i] - (i == k ? (float) h : 0f);
        }
        double lp = trustRegionValue(net, m, plus, states, draw);
        double lm = trustRegionValue(net, m, minus, states, draw);
        double expected = 2 * (lp - lm) / (2 * h); // d x0 / d w = 2
        assertEquals(expected, grad[k], 2e-3 + 2e-2 * Math.abs(expected), "component " + k);
      }
    }
  }

  private static double trustRegionValue(
      ScoreNetwork net, NDManager m, float[] x0, NDArray states, EdmDiffusion.NoiseDraw draw) {
    try (NDManager sm = m.newSubManager()) {
      NDArray x = sm.create(x0, new Shape(draw.batch(), draw.actDim()));
      return EdmDiffusion.trustRegionLoss(net, x, states, draw, 1f, sm).getFloat();
    }
  }

  @Test
  void logProbIsTheNormalDensityOfTheAtanhOfTheScaledAction() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      float max = 2f;
      GaussianActor actor =
          GaussianActor.create(store, "actor", 1, 2, 4, max, new SplittableRandom(6));
      float[] action = {0.5f, -1.5f};
      double[] mean = {0.1, -0.4};
      double[] logStd = {-0.5, 0.3};
      double expected = 0;
      for (int j = 0; j < 2; j++) {
        double x = action[j] / (max + 1e-3);
        double u = 0.5 * Math.log((1 + x) / (1 - x));
        double std = Math.exp(logStd[j]);
        expected +=
            -0.5 * Math.pow((u - mean[j]) / std, 2) - logStd[j] - 0.5 * Math.log(2 * Math.PI);
      }
      GaussianActor.Heads heads =
          new GaussianActor.Heads(
              m.create(new float[] {0.1f, -0.4f}, new Shape(1, 2)),
              m.create(new float[] {-0.5f, 0.3f}, new Shape(1, 2)));
      NDArray u = m.create(actor.preTanh(action), new Shape(1, 2));
      assertEquals(expected, actor.logProb(heads, u).getFloat(), 1e-5);
    }
  }

  @Test
  void polyakMovesTargetsTauOfTheWayToTheOnlineValues() {
    try (NDManager m = NDManager.newBaseManager();
        NDManager sm = m.newSubManager()) {
      NDArray target = m.create(new float[] {0f, 10f});
      NDArray online = m.create(new float[] {1f, 0f});
      int before = m.getManagedArrays().size();
      Polyak.update(List.of(target), List.of(online), 0.005, sm);
      assertArrayEquals(new float[] {0.005f, (float) (10 * 0.995)}, target.toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {1f, 0f}, online.toFloatArray());
      sm.close();
      assertEquals(before, m.getManagedArrays().size());
    }
  }

  @Test
  void polyakRejectsMismatchedLists() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1f});
      assertThrows(
          IllegalArgumentException.class, () -> Polyak.update(List.of(a), List.of(), 0.1, m));
    }
  }
}
