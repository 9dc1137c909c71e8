package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.Batch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  @Test
  void everyBatchRowIsAConsistentDatasetRow() {
    BatchSampler sampler =
        new BatchSampler(TinyData.transitions(50, 3, 2), 64, SplitMix64.forSeed(1));
    Batch batch = sampler.next();
    assertEquals(64, batch.size());
    for (int i = 0; i < batch.size(); i++) {
      int row = (int) batch.rewards()[i];
      assertEquals(row * 100 + 2, batch.observations()[i * 3 + 2]);
      assertEquals((row + 1) * 100, batch.nextObservations()[i * 3]);
      assertEquals(row + 0.5f, batch.actions()[i * 2 + 1]);
      assertEquals(row % 7 == 0 ? 1f : 0f, batch.dones()[i]);
    }
  }

  @Test
  void drawsWithReplacementAcrossTheWholeTable() {
    BatchSampler sampler =
        new BatchSampler(TinyData.transitions(20, 1, 1), 200, SplitMix64.forSeed(2));
    Batch batch = sampler.next();
    Set<Float> seen = new HashSet<>();
    for (float reward : batch.rewards()) {
      seen.add(reward);
    }
    // 200 draws from 20 rows: repeats are certain and every row is all but certain to appear.
    assertEquals(20, seen.size());
  }

  @Test
  void sameGeneratorStateGivesTheSameBatches() {
    BatchSampler a = new BatchSampler(TinyData.transitions(1000, 2, 1), 8, SplitMix64.forSeed(9));
    a.next();
    BatchSampler b =
        new BatchSampler(TinyData.transitions(1000, 2, 1), 8, new SplitMix64(a.randomState()));
    assertTrue(java.util.Arrays.equals(a.next().rewards(), b.next().rewards()));
  }

  @Test
  void emptyTableIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchSampler(TinyData.transitions(0, 1, 1), 4, SplitMix64.forSeed(0)));
  }
}
