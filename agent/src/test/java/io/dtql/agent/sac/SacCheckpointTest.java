package io.dtql.agent.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SacCheckpointTest {
  private static SacCheckpoint sample() {
    AgentState state =
        new AgentState(
            42,
            Map.of(
                "actor/0/weight",
                new TensorData(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})),
            Map.of("optim/actor/updates", 42L));
    return new SacCheckpoint(
        "hopper",
        SacConfig.defaults(7),
        new ProblemShape(3, 1, 1f),
        state,
        Map.of("env_steps", 5042L, "replay_rows", 5042L),
        12.5);
  }

  @Test
  void roundTripKeepsEverything(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("step.ckpt");
    SacCheckpoint written = sample();
    written.write(file);
    SacCheckpoint read = SacCheckpoint.read(file);
    assertEquals("hopper", read.task());
    assertEquals(written.config(), read.config());
    assertEquals(written.shape(), read.shape());
    assertEquals(42, read.step());
    assertEquals(5042L, read.loopCounter("env_steps"));
    assertEquals(Map.of("optim/actor/updates", 42L), read.agentState().counters());
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 5, 6}, read.agentState().tensors().get("actor/0/weight").data());
    assertEquals(12.5, read.trainingSeconds());
  }

  @Test
  void damagedOrForeignFilesAreRefusedByName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("step.ckpt");
    sample().write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    CheckpointException corrupt =
        assertThrows(CheckpointException.class, () -> SacCheckpoint.read(file));
    assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
    assertTrue(corrupt.getMessage().contains(file.toString()), corrupt.getMessage());
    Files.write(file, "DTQLCKPT and more".getBytes());
    CheckpointException foreign =
        assertThrows(CheckpointException.class, () -> SacCheckpoint.read(file));
    assertTrue(foreign.getMessage().contains("not a SAC checkpoint"), foreign.getMessage());
  }
}
