package io.dtql.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
  @TempDir Path dir;

  static CheckpointFile sample(long step) {
    DtqlConfig config =
        ConfigFields.withOverrides(
            DtqlConfig.locomotionDefaults(),
            Map.of("preset", "hopper-medium", "alpha", "5", "seed", "11"));
    float[] weights = new float[3 * 4];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) Math.sin(i + step) * 1e-3f;
    }
    weights[0] = Float.MIN_VALUE;
    weights[1] = -0.0f;
    Map<String, TensorData> tensors =
        Map.of(
            "actor/fc0/weight", new TensorData(new long[] {3, 4}, weights),
            "critic/scalar", new TensorData(new long[] {}, new float[] {42.5f}),
            "empty", new TensorData(new long[] {0, 7}, new float[0]));
    AgentState state = new AgentState(step, tensors, Map.of("adam/actor/t", step, "other", -1L));
    return new CheckpointFile(
        config, new ProblemShape(11, 3, 1.0f), state, 0x9E3779B97F4A7C15L ^ step, step * 0.125);
  }

  @Test
  void roundTripKeepsEveryValueBitForBit() throws IOException {
    CheckpointFile original = sample(1234);
    Path file = dir.resolve("a.ckpt");
    original.write(file);
    CheckpointFile read = CheckpointFile.read(file);
    assertEquals(original.config(), read.config());
    assertEquals(original.shape(), read.shape());
    assertEquals(original.samplerState(), read.samplerState());
    assertEquals(154.25, read.trainingSeconds());
    assertEquals(1234, read.step());
    assertEquals(original.agentState().counters(), read.agentState().counters());
    assertEquals(original.agentState().tensors().keySet(), read.agentState().tensors().keySet());
    for (var entry : original.agentState().tensors().entrySet()) {
      TensorData copy = read.agentState().tensors().get(entry.getKey());
      assertArrayEquals(entry.getValue().shape(), copy.shape());
      assertArrayEquals(floatBits(entry.getValue().data()), floatBits(copy.data()), entry.getKey());
    }
  }

  @Test
  void equalStatesGiveIdenticalBytes() throws IOException {
    assertArrayEquals(CheckpointCodec.encode(sample(5)), CheckpointCodec.encode(sample(5)));
  }

  @Test
  void truncatedFileIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("cut.ckpt");
    sample(3).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.write(file, Arrays.copyOf(bytes, 12));
    e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void flippedByteIsCaughtByTheChecksum() throws IOException {
    Path file = dir.resolve("flip.ckpt");
    sample(3).write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void fileOfAnotherFormatIsRefused() throws IOException {
    Path file = dir.resolve("weights.ckpt");
    Files.writeString(
        file, "PK\u0003\u0004 this is a zip, not a checkpoint", StandardCharsets.ISO_8859_1);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains("not a DTQL checkpoint"), e.getMessage());
    Files.write(file, new byte[0]);
    assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
  }

  @Test
  void futureFormatVersionIsRefused() throws IOException {
    Path file = dir.resolve("future.ckpt");
    byte[] bytes = CheckpointCodec.encode(sample(1));
    bytes[CheckpointCodec.MAGIC.length + 3] = 9;
    Files.write(file, bytes);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
  }

  @Test
  void versionOneFileWithoutTrainingSecondsIsReadAsZeroSeconds() throws IOException {
    // A version 1 file is a version 2 file without the 8-byte training time after the sampler
    // state: rebuild one from today's encoding, with its own length and checksum.
    CheckpointFile original = sample(40);
    ByteBuffer v2 = ByteBuffer.wrap(CheckpointCodec.encode(original));
    int header = CheckpointCodec.MAGIC.length + Integer.BYTES + Long.BYTES;
    int payloadLength = (int) v2.getLong(CheckpointCodec.MAGIC.length + Integer.BYTES);
    int configBytes = v2.getInt(header);
    int secondsAt = header + Integer.BYTES + configBytes + 3 * 4 + 2 * Long.BYTES;
    assertEquals(original.trainingSeconds(), v2.getDouble(secondsAt));
    byte[] payload = new byte[payloadLength - Double.BYTES];
    v2.get(header, payload, 0, secondsAt - header);
    v2.get(
        secondsAt + Double.BYTES,
        payload,
        secondsAt - header,
        payloadLength - (secondsAt - header) - Double.BYTES);
    CRC32 crc = new CRC32();
    crc.update(payload);
    ByteBuffer v1 = ByteBuffer.allocate(header + payload.length + Long.BYTES);
    v1.put(CheckpointCodec.MAGIC).putInt(1).putLong(payload.length).put(payload);
    v1.putLong(crc.getValue());
    Path file = dir.resolve("v1.ckpt");
    Files.write(file, v1.array());

    CheckpointFile read = CheckpointFile.read(file);
    assertEquals(0.0, read.trainingSeconds());
    assertEquals(40, read.step());
    assertEquals(original.samplerState(), read.samplerState());
    assertEquals(original.agentState().counters(), read.agentState().counters());
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("nope.ckpt");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFile.read(file));
    assertTrue(e.getMessage().contains("nope.ckpt"), e.getMessage());
  }

  @Test
  void resumingWithAnotherConfigOrShapeIsRefusedListingTheDifferences() {
    CheckpointFile checkpoint = sample(10);
    Path source = dir.resolve("x.ckpt");
    assertDoesNotThrow(
        () -> checkpoint.requireCompatible(source, checkpoint.config(), checkpoint.shape()));
    DtqlConfig other =
        ConfigFields.withOverrides(checkpoint.config(), Map.of("alpha", "2", "batch-size", "64"));
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> checkpoint.requireCompatible(source, other, new ProblemShape(17, 6, 1.0f)));
    assertTrue(e.getMessage().contains("x.ckpt"), e.getMessage());
    assertTrue(
        e.getMessage().contains("alpha is 5.0 in the checkpoint, 2.0 requested"), e.getMessage());
    assertTrue(e.getMessage().contains("batch-size"), e.getMessage());
    assertTrue(e.getMessage().contains("problem shape"), e.getMessage());
  }

  private static int[] floatBits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
