package io.dtql.envbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {

  private static BoxSpec box(int size) {
    return new BoxSpec(DType.FLOAT64, new int[] {size}, new double[size], new double[size]);
  }

  @Test
  void sessionOptionsRejectBadValuesNamingTheField() {
    var zero = assertThrows(IllegalArgumentException.class, () -> SessionOptions.of(0, 1));
    assertTrue(zero.getMessage().contains("numEnvs must be >= 1, got 0"), zero.getMessage());
    var seeds =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SessionOptions(3, 0, new long[] {1, 2}, AutoReset.NEXT_STEP, 0));
    assertTrue(seeds.getMessage().contains("envSeedsOrNull"), seeds.getMessage());
    var idle =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionOptions.of(1, 0).withIdleTimeoutSeconds(Double.NaN));
    assertTrue(idle.getMessage().contains("idleTimeoutSeconds"), idle.getMessage());
  }

  @Test
  void sessionOptionsDefaultsAndSeedsAreCopied() {
    SessionOptions options = SessionOptions.of(4, 42);
    assertEquals(AutoReset.NEXT_STEP, options.autoReset());
    assertNull(options.envSeedsOrNull());
    long[] seeds = {5, 6};
    SessionOptions explicit = SessionOptions.withSeeds(seeds);
    seeds[0] = 99;
    assertArrayEquals(new long[] {5, 6}, explicit.envSeedsOrNull());
    assertEquals(2, explicit.numEnvs());
  }

  @Test
  void boxSpecChecksBoundsAgainstShape() {
    BoxSpec box =
        new BoxSpec(
            DType.FLOAT32,
            new int[] {2, 3},
            new double[] {-1, -1, -1, Double.NEGATIVE_INFINITY, 0, 0},
            new double[] {1, 1, 1, 0, Double.POSITIVE_INFINITY, 0});
    assertEquals(6, box.flatSize());
    var count =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BoxSpec(DType.FLOAT32, new int[] {2, 3}, new double[5], new double[6]));
    assertTrue(count.getMessage().contains("6 elements"), count.getMessage());
    var inverted =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BoxSpec(DType.FLOAT32, new int[] {1}, new double[] {1}, new double[] {0}));
    assertTrue(inverted.getMessage().contains("element 0"), inverted.getMessage());
  }

  @Test
  void taskSpecDimsComeFromTheBoxes() {
    TaskSpec spec =
        new TaskSpec("t", null, null, box(11), box(3), 1000, 0.008, null, null, null, null);
    assertEquals(11, spec.obsDim());
    assertEquals(3, spec.actDim());
    assertEquals(Map.of(), spec.metadata());
    assertThrows(
        IllegalArgumentException.class,
        () -> new TaskSpec(" ", "", "", box(1), box(1), 1, 0.1, "", "", "", Map.of()));
  }

  @Test
  void stepResultRejectsArraysOfTheWrongLength() {
    int[] ids = {0, 1};
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StepResult(
                    ids,
                    2,
                    new double[4],
                    new double[2],
                    new boolean[2],
                    new boolean[1],
                    new boolean[2],
                    new EnvStatus[2],
                    new int[2]));
    assertTrue(error.getMessage().contains("truncated must have 2 values, got 1"));
    StepResult ok =
        new StepResult(
            ids,
            2,
            new double[] {1, 2, 3, 4},
            new double[2],
            new boolean[] {false, true},
            new boolean[2],
            new boolean[2],
            new EnvStatus[] {EnvStatus.OK, EnvStatus.OK},
            new int[2]);
    assertArrayEquals(new double[] {3, 4}, ok.observation(1));
    assertTrue(ok.episodeEnded(1));
  }

  @Test
  void resetResultRejectsObservationsNotMatchingIds() {
    assertThrows(
        IllegalArgumentException.class, () -> new ResetResult(new int[] {0}, 3, new double[2]));
  }
}
