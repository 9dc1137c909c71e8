package io.dtql.envbridge;

import java.util.Arrays;
import java.util.Objects;

/**
 * A box-shaped space: a dense array of {@code dtype} and {@code shape} whose element i lies in
 * {@code [low[i], high[i]]}. Bounds are flat (row-major) and may be infinite.
 */
public record BoxSpec(DType dtype, int[] shape, double[] low, double[] high) {

  public BoxSpec {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(low, "low");
    Objects.requireNonNull(high, "high");
    shape = shape.clone();
    low = low.clone();
    high = high.clone();
    long size = 1;
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "shape has a negative dimension: " + Arrays.toString(shape));
      }
      size *= dim;
    }
    if (low.length != size || high.length != size) {
      throw new IllegalArgumentException(
          "low/high must have "
              + size
              + " elements for shape "
              + Arrays.toString(shape)
              + ", got low="
              + low.length
              + " high="
              + high.length);
    }
    for (int i = 0; i < low.length; i++) {
      if (Double.isNaN(low[i]) || Double.isNaN(high[i]) || low[i] > high[i]) {
        throw new IllegalArgumentException(
            "bounds at element " + i + " are not an interval: low=" + low[i] + " high=" + high[i]);
      }
    }
  }

  /** Number of elements (product of the shape). */
  public int flatSize() {
    return low.length;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public double[] low() {
    return low.clone();
  }

  @Override
  public double[] high() {
    return high.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BoxSpec that
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape)
        && Arrays.equals(low, that.low)
        && Arrays.equals(high, that.high);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(low), Arrays.hashCode(high));
  }

  @Override
  public String toString() {
    return "BoxSpec[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
