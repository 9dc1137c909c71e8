package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {
  /** Minimises sum(c * w^2) twice and compares with PyTorch's Adam formula in doubles. */
  @Test
  void twoUpdatesMatchPyTorchsAdamFormulaAndGradientsAreZeroedBetween() {
    double lr = 0.1;
    double[] w = {1.0, -2.0};
    double[] c = {0.5, 3.0};
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      store.beginGroup("test", 2);
      NDArray p = store.create("w", new long[] {2}, true, () -> new float[] {1f, -2f});
      NDArray flat = store.endGroup();
      Adam adam = new Adam(store, "test", flat, List.of(p), LearningRateSchedule.constant(lr), 0);
      double[] mom = new double[2];
      double[] var = new double[2];
      for (int t = 1; t <= 2; t++) {
        try (NDManager sm = m.newSubManager()) {
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.square().mul(sm.create(new float[] {0.5f, 3f})).sum());
          }
        }
        adam.step();
        for (int i = 0; i < 2; i++) {
          double g = 2 * c[i] * w[i];
          mom[i] = 0.9 * mom[i] + 0.1 * g;
          var[i] = 0.999 * var[i] + 0.001 * g * g;
          double mHat = mom[i] / (1 - Math.pow(0.9, t));
          double vHat = var[i] / (1 - Math.pow(0.999, t));
          w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
        }
        assertArrayEquals(new float[] {(float) w[0], (float) w[1]}, p.toFloatArray(), 1e-6f);
      }
      assertEquals(2, adam.updates());
      assertArrayEquals(new float[] {0f, 0f}, p.getGradient().toFloatArray());
      assertEquals(2, store.export().get("optim/test/m").data().length);
      assertArrayEquals(p.toFloatArray(), flat.toFloatArray()); // the parameter views the buffer
    }
  }

  @Test
  void cosineScheduleFallsFromBaseToZero() {
    LearningRateSchedule s = LearningRateSchedule.cosine(1e-3, 100);
    assertEquals(1e-3, s.rate(0), 1e-15);
    assertEquals(0.5e-3, s.rate(50), 1e-12);
    assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.rate(25), 1e-12);
    assertEquals(0.0, s.rate(100), 1e-15);
    assertEquals(0.0, s.rate(150), 1e-15);
    assertEquals(3e-4, LearningRateSchedule.constant(3e-4).rate(12345));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1e-3, 0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
  }

  @Test
  void cosineAfterPretrainingHoldsTheBaseRateThenDecaysOverTheTrainingSteps() {
    LearningRateSchedule s = LearningRateSchedule.cosineAfter(1e-3, 40, 100);
    assertEquals(1e-3, s.rate(0), 1e-15);
    assertEquals(1e-3, s.rate(39), 1e-15); // last pretraining update
    assertEquals(1e-3, s.rate(40), 1e-15); // first training update: cosine at progress 0
    assertEquals(0.5e-3, s.rate(90), 1e-12);
    assertEquals(0.0, s.rate(140), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineAfter(1, -1, 5));
  }
}
