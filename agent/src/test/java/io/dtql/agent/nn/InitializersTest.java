package io.dtql.agent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitializersTest {
  @Test
  void orthogonalRowsAreOrthonormalForWideAndColumnsForTallMatrices() {
    for (int[] rc : new int[][] {{3, 7}, {7, 3}, {5, 5}}) {
      int rows = rc[0];
      int cols = rc[1];
      float[] w = Initializers.orthogonal(new SplittableRandom(1), rows, cols);
      boolean wide = rows <= cols;
      int n = Math.min(rows, cols);
      int len = Math.max(rows, cols);
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double dot = 0;
          for (int k = 0; k < len; k++) {
            double x = wide ? w[a * cols + k] : w[k * cols + a];
            double y = wide ? w[b * cols + k] : w[k * cols + b];
            dot += x * y;
          }
          assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, rows + "x" + cols + " " + a + "," + b);
        }
      }
    }
  }

  @Test
  void uniformFanInStaysWithinOneOverSqrtFanIn() {
    float[] w = Initializers.uniformFanIn(new SplittableRandom(2), 10000, 16);
    double max = 0;
    for (float x : w) {
      max = Math.max(max, Math.abs(x));
    }
    assertTrue(max <= 0.25 + 1e-7);
    assertTrue(max > 0.24, "draws should fill the interval, max " + max);
  }

  @Test
  void sinusoidalEmbeddingUsesGeometricFrequencies() {
    float[] out = new float[16];
    SinusoidalEmbedding.embed(0.7, out, 0);
    for (int k = 0; k < 8; k++) {
      double f = Math.exp(-k * Math.log(10000) / 7);
      assertEquals(Math.sin(0.7 * f), out[k], 1e-6);
      assertEquals(Math.cos(0.7 * f), out[8 + k], 1e-6);
    }
  }
}
