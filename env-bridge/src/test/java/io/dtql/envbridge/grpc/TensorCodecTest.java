package io.dtql.envbridge.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.dtql.proto.env.v1.DType;
import io.dtql.proto.env.v1.Tensor;
import org.junit.jupiter.api.Test;

class TensorCodecTest {

  @Test
  void doublesRoundTripBitForBitIncludingSpecialValues() {
    double[] values = {0.0, -0.0, 1.5, -3.25e-300, Double.NaN, Double.POSITIVE_INFINITY, 7, 8};
    Tensor tensor = TensorCodec.encodeDoubles(values, 2, 4);
    assertEquals(DType.DTYPE_FLOAT64, tensor.getDtype());
    assertEquals(java.util.List.of(2L, 4L), tensor.getShapeList());
    assertArrayEquals(values, TensorCodec.decodeDoubles(tensor, "x", 2, 4));
  }

  @Test
  void floatsAndBoolsRoundTrip() {
    float[] floats = {1f, -2.5f, Float.MIN_VALUE, 3e38f, 0f, -0f};
    assertArrayEquals(
        floats, TensorCodec.decodeFloats(TensorCodec.encodeFloats(floats, 3, 2), "f", 3, 2));
    boolean[] bools = {true, false, false, true};
    assertArrayEquals(bools, TensorCodec.decodeBools(TensorCodec.encodeBools(bools, 4), "b", 4));
  }

  @Test
  void encodingIsLittleEndianRowMajor() {
    Tensor tensor = TensorCodec.encodeDoubles(new double[] {1.0, 2.0}, 2);
    byte[] expected = {0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};
    assertArrayEquals(expected, tensor.getData().toByteArray());
  }

  @Test
  void float32IsWidenedWhenDoublesAreExpected() {
    Tensor tensor = TensorCodec.encodeFloats(new float[] {0.1f, -4f}, 2);
    assertArrayEquals(new double[] {0.1f, -4.0}, TensorCodec.decodeDoubles(tensor, "obs", 2));
  }

  @Test
  void wrongDtypeIsRejectedNamingTheField() {
    Tensor ints =
        Tensor.newBuilder()
            .setDtype(DType.DTYPE_INT32)
            .addShape(2)
            .setData(ByteString.copyFrom(new byte[8]))
            .build();
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> TensorCodec.decodeDoubles(ints, "rewards", 2));
    assertTrue(error.getMessage().contains("rewards"), error.getMessage());
    assertTrue(error.getMessage().contains("DTYPE_INT32"), error.getMessage());
  }

  @Test
  void wrongShapeIsRejectedNamingTheField() {
    Tensor tensor = TensorCodec.encodeDoubles(new double[6], 2, 3);
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> TensorCodec.decodeDoubles(tensor, "obs", 3, 2));
    assertTrue(
        error.getMessage().contains("obs: shape [2, 3], expected [3, 2]"), error.getMessage());
  }

  @Test
  void byteLengthNotMatchingShapeIsRejected() {
    Tensor tensor =
        Tensor.newBuilder()
            .setDtype(DType.DTYPE_FLOAT64)
            .addShape(2)
            .setData(ByteString.copyFrom(new byte[15]))
            .build();
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> TensorCodec.decodeDoubles(tensor, "obs", 2));
    assertTrue(error.getMessage().contains("15 data bytes, expected 16"), error.getMessage());
  }

  @Test
  void boolBytesOtherThanZeroOrOneAreRejected() {
    Tensor tensor =
        Tensor.newBuilder()
            .setDtype(DType.DTYPE_BOOL)
            .addShape(2)
            .setData(ByteString.copyFrom(new byte[] {1, 2}))
            .build();
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> TensorCodec.decodeBools(tensor, "terminated", 2));
    assertTrue(error.getMessage().contains("terminated: BOOL element 1 is 2"), error.getMessage());
  }

  @Test
  void encodingRejectsValuesThatDoNotFillTheShape() {
    assertThrows(
        IllegalArgumentException.class, () -> TensorCodec.encodeFloats(new float[5], 2, 3));
  }
}
