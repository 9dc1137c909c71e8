package io.dtql.envbridge.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.dtql.proto.env.v1.DType;
import io.dtql.proto.env.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Converts Java arrays to and from the contract's {@link Tensor}: raw little-endian row-major bytes
 * with an explicit dtype and shape.
 *
 * <p>Decoding validates dtype, shape and byte length and throws {@link IllegalArgumentException}
 * naming the field, so a malformed response never turns into silently wrong numbers. It copies the
 * bytes straight into a fresh primitive array through a typed buffer view: no boxing, no
 * per-element calls, because this runs on every step.
 */
public final class TensorCodec {

  private TensorCodec() {}

  public static Tensor encodeFloats(float[] values, long... shape) {
    checkElementCount("values", values.length, shape);
    byte[] bytes = new byte[values.length * Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return tensor(DType.DTYPE_FLOAT32, shape, bytes);
  }

  public static Tensor encodeDoubles(double[] values, long... shape) {
    checkElementCount("values", values.length, shape);
    byte[] bytes = new byte[values.length * Double.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values);
    return tensor(DType.DTYPE_FLOAT64, shape, bytes);
  }

  public static Tensor encodeBools(boolean[] values, long... shape) {
    checkElementCount("values", values.length, shape);
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = values[i] ? (byte) 1 : (byte) 0;
    }
    return tensor(DType.DTYPE_BOOL, shape, bytes);
  }

  /**
   * Decodes a FLOAT64 (or FLOAT32, widened) tensor whose shape must equal {@code expectedShape}.
   */
  public static double[] decodeDoubles(Tensor tensor, String field, long... expectedShape) {
    int n = checkLayout(tensor, field, expectedShape, DType.DTYPE_FLOAT64, DType.DTYPE_FLOAT32);
    ByteBuffer bytes = littleEndian(tensor);
    double[] out = new double[n];
    if (tensor.getDtype() == DType.DTYPE_FLOAT64) {
      bytes.asDoubleBuffer().get(out);
    } else {
      float[] narrow = new float[n];
      bytes.asFloatBuffer().get(narrow);
      for (int i = 0; i < n; i++) {
        out[i] = narrow[i];
      }
    }
    return out;
  }

  /** Decodes a FLOAT32 tensor whose shape must equal {@code expectedShape}. */
  public static float[] decodeFloats(Tensor tensor, String field, long... expectedShape) {
    int n = checkLayout(tensor, field, expectedShape, DType.DTYPE_FLOAT32);
    float[] out = new float[n];
    littleEndian(tensor).asFloatBuffer().get(out);
    return out;
  }

  /** Decodes a BOOL tensor (one byte per element, 0 or 1) of shape {@code expectedShape}. */
  public static boolean[] decodeBools(Tensor tensor, String field, long... expectedShape) {
    int n = checkLayout(tensor, field, expectedShape, DType.DTYPE_BOOL);
    ByteString data = tensor.getData();
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      byte b = data.byteAt(i);
      if (b != 0 && b != 1) {
        throw new IllegalArgumentException(
            field + ": BOOL element " + i + " is " + b + ", must be 0 or 1");
      }
      out[i] = b == 1;
    }
    return out;
  }

  /** Itemsize of a contract dtype; rejects DTYPE_UNSPECIFIED and unknown values. */
  public static int itemSize(DType dtype, String field) {
    return switch (dtype) {
      case DTYPE_FLOAT32, DTYPE_INT32 -> 4;
      case DTYPE_FLOAT64, DTYPE_INT64 -> 8;
      case DTYPE_BOOL, DTYPE_UINT8 -> 1;
      default -> throw new IllegalArgumentException(field + ": unsupported dtype " + dtype);
    };
  }

  private static Tensor tensor(DType dtype, long[] shape, byte[] bytes) {
    Tensor.Builder builder = Tensor.newBuilder().setDtype(dtype);
    for (long dim : shape) {
      builder.addShape(dim);
    }
    // The array is fresh and never written again, so wrapping it without a copy is safe.
    return builder.setData(UnsafeByteOperations.unsafeWrap(bytes)).build();
  }

  private static void checkElementCount(String field, int length, long[] shape) {
    long product = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            field + ": negative dimension in shape " + Arrays.toString(shape));
      }
      product *= dim;
    }
    if (product != length) {
      throw new IllegalArgumentException(
          field + ": " + length + " elements do not fill shape " + Arrays.toString(shape));
    }
  }

  private static int checkLayout(
      Tensor tensor, String field, long[] expectedShape, DType... allowed) {
    if (!List.of(allowed).contains(tensor.getDtype())) {
      throw new IllegalArgumentException(
          field + ": dtype " + tensor.getDtype() + ", expected one of " + Arrays.toString(allowed));
    }
    long[] shape = new long[tensor.getShapeCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = tensor.getShape(i);
    }
    if (!Arrays.equals(shape, expectedShape)) {
      throw new IllegalArgumentException(
          field
              + ": shape "
              + Arrays.toString(shape)
              + ", expected "
              + Arrays.toString(expectedShape));
    }
    long elements = 1;
    for (long dim : shape) {
      elements *= dim;
    }
    long expectedBytes = elements * itemSize(tensor.getDtype(), field);
    if (tensor.getData().size() != expectedBytes) {
      throw new IllegalArgumentException(
          field
              + ": "
              + tensor.getData().size()
              + " data bytes, expected "
              + expectedBytes
              + " for shape "
              + Arrays.toString(shape)
              + " and dtype "
              + tensor.getDtype());
    }
    return Math.toIntExact(elements);
  }

  private static ByteBuffer littleEndian(Tensor tensor) {
    return tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }
}
