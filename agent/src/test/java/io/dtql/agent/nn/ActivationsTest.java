package io.dtql.agent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
}
