package io.dtql.envbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

  @Test
  void sessionOptionsCarryInfoKeysThroughEveryWither() {
    assertEquals(List.of(), SessionOptions.of(2, 0).infoKeys());
    assertEquals(List.of(), new SessionOptions(1, 0, null, AutoReset.NEXT_STEP, 0).infoKeys());
    SessionOptions options =
        SessionOptions.of(2, 0)
            .withInfoKeys("qpos", "qvel")
            .withAutoReset(AutoReset.DISABLED)
            .withIdleTimeoutSeconds(5);
    assertEquals(List.of("qpos", "qvel"), options.infoKeys());
    assertEquals(List.of(), options.withInfoKeys().infoKeys());
    var twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionOptions.of(1, 0).withInfoKeys("qpos", "qpos"));
    assertTrue(twice.getMessage().contains("'qpos' twice"), twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionOptions.of(1, 0).withInfoKeys(" "));
    assertThrows(
        NullPointerException.class, () -> SessionOptions.of(1, 0).withInfoKeys("qpos", null));
  }

  @Test
  void taskSpecListsItsInfosAndFindsThemByName() {
    InfoSpec qpos = new InfoSpec("qpos", new int[] {6}, "positions");
    TaskSpec spec =
        new TaskSpec(
            "t", "", "", box(11), box(3), 1000, 0.008, "", "", "", Map.of(), List.of(qpos));
    assertEquals(List.of(qpos), spec.infos());
    assertEquals(6, spec.info("qpos").orElseThrow().width());
    assertTrue(spec.info("goal").isEmpty());
    assertEquals(
        List.of(), new TaskSpec("t", "", "", box(1), box(1), 1, 0.1, "", "", "", Map.of()).infos());
    var twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TaskSpec(
                    "t",
                    "",
                    "",
                    box(1),
                    box(1),
                    1,
                    0.1,
                    "",
                    "",
                    "",
                    Map.of(),
                    List.of(qpos, qpos)));
    assertTrue(twice.getMessage().contains("'qpos' twice"), twice.getMessage());
    assertEquals(12, new InfoSpec("m", new int[] {3, 4}, null).width());
    assertThrows(IllegalArgumentException.class, () -> new InfoSpec("", new int[] {1}, ""));
    assertThrows(IllegalArgumentException.class, () -> new InfoSpec("m", new int[] {-1}, ""));
  }

  @Test
  void resultsGiveEachInfoItsWidthAndRows() {
    int[] ids = {4, 1};
    double[] qpos = {1, 2, 3, 4, 5, 6};
    ResetResult reset = new ResetResult(ids, 1, new double[2], Map.of("qpos", qpos));
    assertEquals(3, reset.infoWidth("qpos"));
    assertArrayEquals(new double[] {4, 5, 6}, reset.info("qpos", 1));
    assertEquals(Map.of(), new ResetResult(ids, 1, new double[2]).infos());
    StepResult step =
        new StepResult(
            ids,
            1,
            new double[2],
            new double[2],
            new boolean[2],
            new boolean[2],
            new boolean[2],
            new EnvStatus[] {EnvStatus.OK, EnvStatus.OK},
            new int[2],
            Map.of("qvel", new double[] {7, 8}));
    assertEquals(1, step.infoWidth("qvel"));
    assertArrayEquals(new double[] {7}, step.info("qvel", 0));
    var unknown = assertThrows(IllegalArgumentException.class, () -> step.infoWidth("qpos"));
    assertTrue(unknown.getMessage().contains("no info 'qpos'"), unknown.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> step.infos().put("x", new double[2]));
  }

  @Test
  void resultsRejectAnInfoThatIsNotAWholeRowPerEnv() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ResetResult(new int[] {0, 1}, 1, new double[2], Map.of("qpos", new double[3])));
    assertTrue(error.getMessage().contains("infos['qpos'] has 3 values"), error.getMessage());
  }
}
