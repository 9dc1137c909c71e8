package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransitionsTest {
  /** Three transitions, obs width 2, action width 1, values that reveal their row. */
  private static Transitions threeRows() {
    return Transitions.of(
        2,
        1,
        new float[] {0, 1, 10, 11, 20, 21},
        new float[] {0.5f, 1.5f, 2.5f},
        new float[] {-1, -2, -3},
        new float[] {10, 11, 20, 21, 30, 31},
        new float[] {0, 0, 1});
  }

  @Test
  void gatherCopiesTheRequestedRowsInOrder() {
    Transitions t = threeRows();
    float[] obs = new float[6];
    float[] act = new float[3];
    float[] rew = new float[3];
    float[] next = new float[6];
    float[] done = new float[3];

    t.gather(new int[] {2, 0, 2}, obs, act, rew, next, done);

    assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, obs);
    assertArrayEquals(new float[] {2.5f, 0.5f, 2.5f}, act);
    assertArrayEquals(new float[] {-3, -1, -3}, rew);
    assertArrayEquals(new float[] {30, 31, 10, 11, 30, 31}, next);
    assertArrayEquals(new float[] {1, 0, 1}, done);
  }

  @Test
  void gatherLeavesTheTailOfLargerBuffersAlone() {
    Transitions t = threeRows();
    float[] obs = {7, 7, 7, 7};
    float[] act = {7, 7};
    float[] rew = {7, 7};
    float[] next = {7, 7, 7, 7};
    float[] done = {7, 7};

    t.gather(new int[] {1}, obs, act, rew, next, done);

    assertArrayEquals(new float[] {10, 11, 7, 7}, obs);
    assertArrayEquals(new float[] {-2, 7}, rew);
  }

  @Test
  void gatherRejectsAnOutOfRangeIndexNamingIt() {
    Transitions t = threeRows();
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () ->
                t.gather(
                    new int[] {0, 3},
                    new float[4],
                    new float[2],
                    new float[2],
                    new float[4],
                    new float[2]));
    assertTrue(e.getMessage().contains("indices[1] = 3"), e.getMessage());
  }

  @Test
  void gatherRejectsATooShortBuffer() {
    Transitions t = threeRows();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                t.gather(
                    new int[] {0, 1},
                    new float[4],
                    new float[1],
                    new float[2],
                    new float[4],
                    new float[2]));
    assertTrue(e.getMessage().contains("actOut"), e.getMessage());
  }

  @Test
  void rewardShiftChangesOnlyRewardsAndLeavesTheOriginalIntact() {
    Transitions t = threeRows();
    Transitions shifted = t.withRewardShift(-1.0);

    assertArrayEquals(new float[] {-2, -3, -4}, shifted.rewards());
    assertArrayEquals(new float[] {-1, -2, -3}, t.rewards());
    assertSame(t.observations(), shifted.observations());
    assertEquals(3, shifted.size());
    assertThrows(IllegalArgumentException.class, () -> t.withRewardShift(Double.NaN));
  }

  @Test
  void mismatchedColumnLengthsAreRejectedNamingTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Transitions.of(
                    2, 1, new float[4], new float[2], new float[2], new float[3], new float[2]));
    assertTrue(e.getMessage().contains("nextObservations"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Transitions.of(
                2, 1, new float[0], new float[0], new float[0], new float[0], new float[0]));
  }

  @Test
  void heldBytesStayWithinThirtyPercentOfRawFloat32Size() {
    Transitions t = threeRows();
    assertEquals(3L * (2 * 2 + 1 + 2) * 4, t.rawBytes());
    assertTrue(t.heldBytes() >= t.rawBytes());
    int n = 100_000;
    Transitions big =
        Transitions.of(
            11,
            3,
            new float[n * 11],
            new float[n * 3],
            new float[n],
            new float[n * 11],
            new float[n]);
    assertTrue((double) big.heldBytes() / big.rawBytes() <= 1.3);
  }

  @Test
  void terminalCountCountsDoneFlags() {
    assertEquals(1, threeRows().terminalCount());
  }
}
