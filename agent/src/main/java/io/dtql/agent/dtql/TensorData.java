package io.dtql.agent.dtql;

import java.util.Arrays;

/** A named tensor's contents outside any native manager: a shape and row-major float32 data. */
public record TensorData(long[] shape, float[] data) {
  public TensorData {
    long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (data.length != expected) {
      throw new IllegalArgumentException(
          "tensor data holds "
              + data.length
              + " floats but shape "
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
  }
}
