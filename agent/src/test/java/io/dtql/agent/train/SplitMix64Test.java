package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
  @Test
  void matchesThePublishedReferenceSequence() {
    // First outputs of the reference C implementation seeded with 0.
    SplitMix64 random = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, random.nextLong());
    assertEquals(0x6E789E6AA1B965F4L, random.nextLong());
  }

  @Test
  void restoringTheStateContinuesTheSameSequence() {
    SplitMix64 original = SplitMix64.forSeed(42);
    for (int i = 0; i < 17; i++) {
      original.nextInt(1000);
    }
    SplitMix64 copy = new SplitMix64(original.state());
    for (int i = 0; i < 100; i++) {
      assertEquals(original.nextInt(12345), copy.nextInt(12345));
    }
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    assertNotEquals(SplitMix64.forSeed(1).nextLong(), SplitMix64.forSeed(2).nextLong());
  }

  @Test
  void nextIntStaysInRangeAndIsRoughlyUniform() {
    SplitMix64 random = SplitMix64.forSeed(7);
    int bound = 10;
    int draws = 100_000;
    int[] counts = new int[bound];
    for (int i = 0; i < draws; i++) {
      int value = random.nextInt(bound);
      assertTrue(value >= 0 && value < bound, "out of range: " + value);
      counts[value]++;
    }
    for (int count : counts) {
      // Expected 10 000 each; 5 standard deviations is about 475.
      assertTrue(Math.abs(count - draws / bound) < 500, "count " + count);
    }
    assertEquals(0, new SplitMix64(3).nextInt(1));
    assertThrows(IllegalArgumentException.class, () -> random.nextInt(0));
  }
}
