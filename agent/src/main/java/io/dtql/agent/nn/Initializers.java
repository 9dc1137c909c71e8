package io.dtql.agent.nn;

import java.util.random.RandomGenerator;

/** Weight initialisations written out in Java so they depend only on a seeded Java generator. */
public final class Initializers {
  private Initializers() {}

  /**
   * PyTorch's default for nn.Linear weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (the
   * kaiming-uniform with a = sqrt(5) that PyTorch uses reduces to this bound).
   */
  public static float[] uniformFanIn(RandomGenerator rng, int count, int fanIn) {
    double bound = 1.0 / Math.sqrt(fanIn);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    return out;
  }

  /**
   * A (rows x cols) row-major matrix with orthonormal rows (rows <= cols) or orthonormal columns
   * (rows > cols), like torch.nn.init.orthogonal_ with gain 1: Gram-Schmidt on a Gaussian matrix.
   */
  public static float[] orthogonal(RandomGenerator rng, int rows, int cols) {
    int vectors = Math.min(rows, cols);
    int length = Math.max(rows, cols);
    double[][] basis = new double[vectors][length];
    for (int k = 0; k < vectors; k++) {
      double[] v = basis[k];
      for (int i = 0; i < length; i++) {
        v[i] = rng.nextGaussian();
      }
      // Two passes of modified Gram-Schmidt keep the basis orthogonal to float precision.
      for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j < k; j++) {
          double dot = 0;
          for (int i = 0; i < length; i++) {
            dot += v[i] * basis[j][i];
          }
          for (int i = 0; i < length; i++) {
            v[i] -= dot * basis[j][i];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < length; i++) {
        norm += v[i] * v[i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < length; i++) {
        v[i] /= norm;
      }
    }
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = (float) (rows <= cols ? basis[r][c] : basis[c][r]);
      }
    }
    return out;
  }
}
