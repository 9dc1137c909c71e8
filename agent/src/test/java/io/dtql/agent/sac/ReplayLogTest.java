package io.dtql.agent.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.Batch;
import io.dtql.agent.train.SplitMix64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayLogTest {
  private static void appendRows(ReplayLog log, ReplayBuffer buffer, int from, int to)
      throws IOException {
    for (int i = from; i < to; i++) {
      float[] s = {i, i + 0.5f};
      float[] a = {-i};
      float[] s2 = {i + 1, i + 1.5f};
      boolean done = i % 7 == 0;
      log.append(s, 0, a, 0, i * 0.25f, s2, 0, done);
      if (buffer != null) {
        buffer.add(s, 0, a, 0, i * 0.25f, s2, 0, done);
      }
    }
  }

  @Test
  void resumeReadsTheSyncedRowsAndCutsOffWhatCameAfter(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("replay.log");
    ReplayBuffer original = new ReplayBuffer(2, 1, 100);
    long synced;
    try (ReplayLog log = ReplayLog.create(file, 2, 1)) {
      appendRows(log, original, 0, 40);
      synced = log.sync();
      appendRows(log, null, 40, 55); // a killed process got this far after its checkpoint
    }
    assertEquals(40, synced);
    ReplayBuffer restored = new ReplayBuffer(2, 1, 100);
    try (ReplayLog log = ReplayLog.resume(file, synced, restored)) {
      assertEquals(40, log.rows());
      assertEquals(40, restored.size());
      appendRows(log, null, 40, 42);
      assertEquals(42, log.sync());
    }
    Batch a = original.sample(16, SplitMix64.forSeed(1));
    Batch b = restored.sample(16, SplitMix64.forSeed(1));
    assertArrayEquals(a.observations(), b.observations());
    assertArrayEquals(a.actions(), b.actions());
    assertArrayEquals(a.rewards(), b.rewards());
    assertArrayEquals(a.nextObservations(), b.nextObservations());
    assertArrayEquals(a.dones(), b.dones());
    long recordBytes = (2 * 2 + 1 + 2) * 4L;
    assertEquals(20 + 42 * recordBytes, Files.size(file), "rows 42..54 of the killed run are gone");
  }

  @Test
  void aLogShorterThanTheCheckpointIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("replay.log");
    try (ReplayLog log = ReplayLog.create(file, 2, 1)) {
      appendRows(log, null, 0, 10);
    }
    IOException e =
        assertThrows(
            IOException.class, () -> ReplayLog.resume(file, 11, new ReplayBuffer(2, 1, 100)));
    assertTrue(e.getMessage().contains("holds 10 transitions"), e.getMessage());
  }

  @Test
  void aLogOfOtherDimensionsOrNoLogIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("replay.log");
    try (ReplayLog log = ReplayLog.create(file, 2, 1)) {
      appendRows(log, null, 0, 3);
    }
    IOException dims =
        assertThrows(
            IOException.class, () -> ReplayLog.resume(file, 3, new ReplayBuffer(3, 1, 100)));
    assertTrue(dims.getMessage().contains("obs-dim 2"), dims.getMessage());
    Path other = dir.resolve("other.bin");
    Files.write(other, new byte[64]);
    IOException foreign =
        assertThrows(
            IOException.class, () -> ReplayLog.resume(other, 1, new ReplayBuffer(2, 1, 100)));
    assertTrue(foreign.getMessage().contains("not a replay log"), foreign.getMessage());
    assertThrows(IOException.class, () -> ReplayLog.create(file, 2, 1), "never overwrites a log");
  }

  @Test
  void aFullBufferKeepsTheNewestRows() {
    ReplayBuffer buffer = new ReplayBuffer(1, 1, 4);
    for (int i = 0; i < 10; i++) {
      buffer.add(new float[] {i}, 0, new float[] {0}, 0, i, new float[] {i}, 0, false);
    }
    assertEquals(4, buffer.size());
    assertEquals(10, buffer.added());
    Batch b = buffer.sample(64, SplitMix64.forSeed(2));
    for (float r : b.rewards()) {
      assertTrue(r >= 6, "reward " + r + " is from an overwritten row");
    }
  }
}
