package io.dtql.agent.checkpoint;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.TensorData;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The self-checking frame shared by the project's binary state files (DTQL and SAC checkpoints,
 * behaviour policies), all big-endian:
 *
 * <pre>
 * magic (8 ASCII bytes) | format version (int) | payload length (long) | payload | CRC32 (long)
 * </pre>
 *
 * plus the payload pieces they share: length-prefixed UTF-8 strings, float32 tensors and the
 * counters-then-tensors section of an {@link AgentState} (written in name order, so equal states
 * give byte-identical files).
 */
public final class FramedBinary {
  private static final int HEADER_BYTES = 8 + Integer.BYTES + Long.BYTES;
  private static final int TRAILER_BYTES = Long.BYTES;

  private FramedBinary() {}

  /** A verified payload and the format version it was written with. */
  public record Payload(int version, ByteBuffer bytes) {}

  /** Wraps {@code body} in the frame. */
  public static byte[] frame(String magic, int version, byte[] body) {
    byte[] magicBytes = magicBytes(magic);
    ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + body.length + TRAILER_BYTES);
    file.put(magicBytes)
        .putInt(version)
        .putLong(body.length)
        .put(body)
        .putLong(crc(body, 0, body.length));
    return file.array();
  }

  /**
   * Checks magic, version range, length and checksum; damage is refused naming {@code source}.
   *
   * @param what what the file should be, for messages ("DTQL checkpoint")
   */
  public static Payload unframe(
      byte[] bytes, Path source, String magic, String what, int oldestVersion, int newestVersion)
      throws CheckpointException {
    byte[] magicBytes = magicBytes(magic);
    if (bytes.length < magicBytes.length
        || !Arrays.equals(Arrays.copyOf(bytes, magicBytes.length), magicBytes)) {
      throw new CheckpointException(
          source, "not a " + what + " (the file does not start with " + magic + ")");
    }
    if (bytes.length < HEADER_BYTES) {
      throw new CheckpointException(
          source, "truncated: only " + bytes.length + " bytes, header incomplete");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    in.position(magicBytes.length);
    int version = in.getInt();
    if (version < oldestVersion || version > newestVersion) {
      throw new CheckpointException(
          source,
          "format version "
              + version
              + " is not supported (this build reads versions "
              + oldestVersion
              + " to "
              + newestVersion
              + ")");
    }
    long payloadLength = in.getLong();
    long expectedSize = HEADER_BYTES + payloadLength + TRAILER_BYTES;
    if (payloadLength < 0 || bytes.length < expectedSize) {
      throw new CheckpointException(
          source,
          "truncated: " + bytes.length + " bytes on disk, the header announces " + expectedSize);
    }
    if (bytes.length > expectedSize) {
      throw new CheckpointException(
          source, (bytes.length - expectedSize) + " unexpected bytes after the end of the file");
    }
    long storedCrc = in.getLong(HEADER_BYTES + (int) payloadLength);
    long actualCrc = crc(bytes, HEADER_BYTES, (int) payloadLength);
    if (storedCrc != actualCrc) {
      throw new CheckpointException(
          source,
          "checksum mismatch (stored "
              + Long.toHexString(storedCrc)
              + ", computed "
              + Long.toHexString(actualCrc)
              + "): the file is corrupt");
    }
    return new Payload(version, ByteBuffer.wrap(bytes, HEADER_BYTES, (int) payloadLength).slice());
  }

  private static byte[] magicBytes(String magic) {
    byte[] b = magic.getBytes(StandardCharsets.US_ASCII);
    if (b.length != 8) {
      throw new IllegalArgumentException("magic must be 8 ASCII bytes, got '" + magic + "'");
    }
    return b;
  }

  /** Counters then tensors, each sorted by name. */
  public static void writeState(
      DataOutputStream out, Map<String, Long> counters, Map<String, TensorData> tensors)
      throws IOException {
    Map<String, Long> sortedCounters = new TreeMap<>(counters);
    out.writeInt(sortedCounters.size());
    for (Map.Entry<String, Long> counter : sortedCounters.entrySet()) {
      writeString(out, counter.getKey());
      out.writeLong(counter.getValue());
    }
    Map<String, TensorData> sortedTensors = new TreeMap<>(tensors);
    out.writeInt(sortedTensors.size());
    for (Map.Entry<String, TensorData> tensor : sortedTensors.entrySet()) {
      writeString(out, tensor.getKey());
      writeTensor(out, tensor.getValue());
    }
  }

  /** Reads what {@link #writeState} wrote. */
  public static Map<String, Long> readCounters(ByteBuffer in) {
    int count = in.getInt();
    if (count < 0) {
      throw new IllegalArgumentException("negative counter count " + count);
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      counters.put(readString(in), in.getLong());
    }
    return counters;
  }

  /** Reads the tensor section that follows the counters. */
  public static Map<String, TensorData> readTensors(ByteBuffer in) {
    int count = in.getInt();
    if (count < 0) {
      throw new IllegalArgumentException("negative tensor count " + count);
    }
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      tensors.put(readString(in), readTensor(in));
    }
    return tensors;
  }

  public static void writeTensor(DataOutputStream out, TensorData tensor) throws IOException {
    out.writeInt(tensor.shape().length);
    for (long dim : tensor.shape()) {
      out.writeLong(dim);
    }
    float[] data = tensor.data();
    ByteBuffer buffer = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
    buffer.asFloatBuffer().put(data);
    out.write(buffer.array());
  }

  public static TensorData readTensor(ByteBuffer in) {
    int rank = in.getInt();
    if (rank < 0 || rank > 16) {
      throw new IllegalArgumentException("tensor rank " + rank + " is out of range");
    }
    long[] shape = new long[rank];
    long count = 1;
    for (int d = 0; d < rank; d++) {
      shape[d] = in.getLong();
      if (shape[d] < 0) {
        throw new IllegalArgumentException("negative tensor dimension " + shape[d]);
      }
      count = Math.multiplyExact(count, shape[d]);
    }
    if (count * Float.BYTES > in.remaining()) {
      throw new BufferUnderflowException();
    }
    float[] data = new float[(int) count];
    in.asFloatBuffer().get(data);
    in.position(in.position() + data.length * Float.BYTES);
    return new TensorData(shape, data);
  }

  public static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  public static String readString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] utf8 = new byte[length];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
