package io.dtql.agent.checkpoint;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.preset.ConfigJson;
import java.io.ByteArrayOutputStream;
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
 * The checkpoint byte layout, all big-endian:
 *
 * <pre>
 * file:    magic "DTQLCKPT" (8 bytes) | format version (int) | payload length (long)
 *          | payload | CRC32 of the payload (long)
 * payload: config JSON (int length + UTF-8) | obsDim (int) | actDim (int) | maxAction (float)
 *          | step (long) | sampler state (long) | training seconds (double; version 2 on)
 *          | counter count (int), then per counter: name (int length + UTF-8), value (long)
 *          | tensor count (int), then per tensor: name, rank (int), dims (long each), float32 data
 * </pre>
 *
 * Counters and tensors are written in name order so equal states give byte-identical files. Version
 * 1 files (without the training seconds) are still read, as 0 seconds.
 */
final class CheckpointCodec {
  static final byte[] MAGIC = "DTQLCKPT".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 2;
  private static final int OLDEST_READABLE_VERSION = 1;
  private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Long.BYTES;
  private static final int TRAILER_BYTES = Long.BYTES;

  private CheckpointCodec() {}

  static byte[] encode(CheckpointFile checkpoint) throws IOException {
    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(1 << 20);
    try (DataOutputStream payload = new DataOutputStream(payloadBytes)) {
      writeString(payload, ConfigJson.toJson(checkpoint.config()).toString());
      payload.writeInt(checkpoint.shape().obsDim());
      payload.writeInt(checkpoint.shape().actDim());
      payload.writeFloat(checkpoint.shape().maxAction());
      AgentState state = checkpoint.agentState();
      payload.writeLong(state.step());
      payload.writeLong(checkpoint.samplerState());
      payload.writeDouble(checkpoint.trainingSeconds());
      Map<String, Long> counters = new TreeMap<>(state.counters());
      payload.writeInt(counters.size());
      for (Map.Entry<String, Long> counter : counters.entrySet()) {
        writeString(payload, counter.getKey());
        payload.writeLong(counter.getValue());
      }
      Map<String, TensorData> tensors = new TreeMap<>(state.tensors());
      payload.writeInt(tensors.size());
      for (Map.Entry<String, TensorData> tensor : tensors.entrySet()) {
        writeString(payload, tensor.getKey());
        writeTensor(payload, tensor.getValue());
      }
    }
    byte[] body = payloadBytes.toByteArray();
    ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + body.length + TRAILER_BYTES);
    file.put(MAGIC)
        .putInt(FORMAT_VERSION)
        .putLong(body.length)
        .put(body)
        .putLong(crc(body, 0, body.length));
    return file.array();
  }

  static CheckpointFile decode(byte[] bytes, Path source) throws CheckpointException {
    if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new CheckpointException(
          source, "not a DTQL checkpoint (the file does not start with DTQLCKPT)");
    }
    if (bytes.length < HEADER_BYTES) {
      throw new CheckpointException(
          source, "truncated: only " + bytes.length + " bytes, header incomplete");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    in.position(MAGIC.length);
    int version = in.getInt();
    if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
      throw new CheckpointException(
          source,
          "format version "
              + version
              + " is not supported (this build reads versions "
              + OLDEST_READABLE_VERSION
              + " to "
              + FORMAT_VERSION
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
          source,
          (bytes.length - expectedSize) + " unexpected bytes after the end of the checkpoint");
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
    ByteBuffer payload = ByteBuffer.wrap(bytes, HEADER_BYTES, (int) payloadLength).slice();
    try {
      return readPayload(payload, version, source);
    } catch (BufferUnderflowException
        | IllegalArgumentException
        | JsonParseException
        | IllegalStateException e) {
      // The checksum matched, so the writer itself produced something this reader cannot parse.
      throw new CheckpointException(source, "payload is malformed: " + e.getMessage());
    }
  }

  private static CheckpointFile readPayload(ByteBuffer in, int version, Path source)
      throws CheckpointException {
    DtqlConfig config =
        ConfigJson.fromJson(JsonParser.parseString(readString(in)).getAsJsonObject());
    ProblemShape shape = new ProblemShape(in.getInt(), in.getInt(), in.getFloat());
    long step = in.getLong();
    long samplerState = in.getLong();
    double trainingSeconds = version >= 2 ? in.getDouble() : 0.0;
    int counterCount = in.getInt();
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < counterCount; i++) {
      counters.put(readString(in), in.getLong());
    }
    int tensorCount = in.getInt();
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (int i = 0; i < tensorCount; i++) {
      tensors.put(readString(in), readTensor(in));
    }
    if (in.hasRemaining()) {
      throw new CheckpointException(
          source, in.remaining() + " unread bytes at the end of the payload");
    }
    return new CheckpointFile(
        config, shape, new AgentState(step, tensors, counters), samplerState, trainingSeconds);
  }

  private static void writeTensor(DataOutputStream out, TensorData tensor) throws IOException {
    out.writeInt(tensor.shape().length);
    for (long dim : tensor.shape()) {
      out.writeLong(dim);
    }
    float[] data = tensor.data();
    ByteBuffer buffer = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
    buffer.asFloatBuffer().put(data);
    out.write(buffer.array());
  }

  private static TensorData readTensor(ByteBuffer in) {
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

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(ByteBuffer in) {
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
