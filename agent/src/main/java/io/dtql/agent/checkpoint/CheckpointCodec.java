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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The DTQL checkpoint byte layout: a {@link FramedBinary} frame with magic "DTQLCKPT" around
 *
 * <pre>
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
  private static final String MAGIC_TEXT = "DTQLCKPT";
  static final byte[] MAGIC = MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 2;
  private static final int OLDEST_READABLE_VERSION = 1;

  private CheckpointCodec() {}

  static byte[] encode(CheckpointFile checkpoint) throws IOException {
    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(1 << 20);
    try (DataOutputStream payload = new DataOutputStream(payloadBytes)) {
      FramedBinary.writeString(payload, ConfigJson.toJson(checkpoint.config()).toString());
      payload.writeInt(checkpoint.shape().obsDim());
      payload.writeInt(checkpoint.shape().actDim());
      payload.writeFloat(checkpoint.shape().maxAction());
      AgentState state = checkpoint.agentState();
      payload.writeLong(state.step());
      payload.writeLong(checkpoint.samplerState());
      payload.writeDouble(checkpoint.trainingSeconds());
      FramedBinary.writeState(payload, state.counters(), state.tensors());
    }
    return FramedBinary.frame(MAGIC_TEXT, FORMAT_VERSION, payloadBytes.toByteArray());
  }

  static CheckpointFile decode(byte[] bytes, Path source) throws CheckpointException {
    FramedBinary.Payload payload =
        FramedBinary.unframe(
            bytes, source, MAGIC_TEXT, "DTQL checkpoint", OLDEST_READABLE_VERSION, FORMAT_VERSION);
    try {
      return readPayload(payload.bytes(), payload.version(), source);
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
        ConfigJson.fromJson(JsonParser.parseString(FramedBinary.readString(in)).getAsJsonObject());
    ProblemShape shape = new ProblemShape(in.getInt(), in.getInt(), in.getFloat());
    long step = in.getLong();
    long samplerState = in.getLong();
    double trainingSeconds = version >= 2 ? in.getDouble() : 0.0;
    Map<String, Long> counters = FramedBinary.readCounters(in);
    Map<String, TensorData> tensors = FramedBinary.readTensors(in);
    if (in.hasRemaining()) {
      throw new CheckpointException(
          source, in.remaining() + " unread bytes at the end of the payload");
    }
    return new CheckpointFile(
        config, shape, new AgentState(step, tensors, counters), samplerState, trainingSeconds);
  }
}
