package io.dtql.agent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ActivationsTest {
  @Test
  void mishIsXTimesTanhOfNaturalSoftplus() {
    float[] x = {-3f, -0.5f, 0f, 1f, 4f};
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = (float) (x[i] * Math.tanh(Math.log1p(Math.exp(x[i]))));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(expected, Activations.mish(m.create(x)).toFloatArray(), 1e-6f);
      assertArrayEquals(expected, Activations.mishNoGrad(m.create(x)).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void mishWithoutGradientStaysFiniteAndCloseFarFromZero() {
    float[] x = {-1e30f, -100f, -30f, -17f, -8f, 8f, 19f, 21f, 100f, 1e30f};
    try (NDManager m = NDManager.newBaseManager()) {
      float[] got = Activations.mishNoGrad(m.create(x)).toFloatArray();
      for (int i = 0; i < x.length; i++) {
        double expected = x[i] * Math.tanh(x[i] > 20 ? x[i] : Math.log1p(Math.exp(x[i])));
        assertEquals(expected, got[i], 1e-6 * Math.max(1, Math.abs(expected)), "x = " + x[i]);
      }
    }
  }
}
