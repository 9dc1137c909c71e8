package io.dtql.agent.data;

/**
 * One float64 array under a dataset's {@code infos/}: row-major values of {@code rows} rows, each
 * {@code width} wide, written [rows, width], or [rows] when {@code vector} (as D4RL stores {@code
 * action_log_probs}).
 */
public record InfoColumn(double[] values, int width, boolean vector) {
  public InfoColumn {
    if (width <= 0 || values.length % width != 0) {
      throw new IllegalArgumentException(
          "an info column of width " + width + " cannot hold " + values.length + " values");
    }
    if (vector && width != 1) {
      throw new IllegalArgumentException("a 1-D info column has width 1, got " + width);
    }
  }

  /** A [rows] column. */
  public static InfoColumn vector(double[] values) {
    return new InfoColumn(values, 1, true);
  }

  /** A [rows, width] column. */
  public static InfoColumn matrix(double[] values, int width) {
    return new InfoColumn(values, width, false);
  }

  public int rows() {
    return values.length / width;
  }

  /** The array jhdf writes: double[] or double[rows][width]. */
  Object hdfArray() {
    if (vector) {
      return values.clone();
    }
    double[][] out = new double[rows()][width];
    for (int r = 0; r < out.length; r++) {
      System.arraycopy(values, r * width, out[r], 0, width);
    }
    return out;
  }
}
