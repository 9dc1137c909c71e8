package io.dtql.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutRunnerTest {
  private static final Policy ZERO =
      new Policy() {
        @Override
        public float[] act(double[] observations, int numStates) {
          return new float[numStates * 2];
        }

        @Override
        public String name() {
          return "zero";
        }
      };

  @Test
  void returnsAreSummedPerEpisodeAndEpisodesSpreadOverEnvs() {
    FakeVectorEnv env = new FakeVectorEnv(3, 5);
    List<EpisodeResult> seen = new ArrayList<>();
    List<EpisodeResult> results = RolloutRunner.run(env, ZERO, 3, seen::add);

    assertEquals(3, results.size());
    assertEquals(results, seen);
    List<EpisodeResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingInt(EpisodeResult::envIndex).thenComparingLong(e -> -e.seed()));
    // env 0 runs episodes 0 and 2 (3 steps x reward 1), env 1 runs episode 1 (5 steps x reward 2)
    assertEquals(0, sorted.get(0).envIndex());
    assertEquals(3.0, sorted.get(0).episodeReturn());
    assertEquals(3, sorted.get(0).length());
    assertEquals(100, sorted.get(0).seed(), "first episode starts from the session seed");
    assertEquals(-1, sorted.get(1).seed(), "later episodes continue the env's RNG");
    assertEquals(3.0, sorted.get(1).episodeReturn());
    assertEquals(1, sorted.get(2).envIndex());
    assertEquals(10.0, sorted.get(2).episodeReturn());
  }

  @Test
  void finishedEnvsAreResetExplicitlyAndNotSteppedAfterTheirLastEpisode() {
    FakeVectorEnv env = new FakeVectorEnv(2, 4);
    RolloutRunner.run(env, ZERO, 3, e -> {});

    assertArrayEquals(new int[] {0, 1}, env.resetCalls.get(0));
    assertArrayEquals(new int[] {0}, env.resetCalls.get(1), "env 0 starts its second episode");
    assertEquals(2, env.resetCalls.size());
    // steps 1-2: both envs; 3-4: env 0 finished its last episode at step 4 together with env 1
    assertArrayEquals(new int[] {0, 1}, env.stepCalls.get(0));
    assertEquals(4, env.stepCalls.size());
    for (int[] ids : env.stepCalls) {
      assertEquals(2, ids.length);
    }
  }

  @Test
  void policyReturningWrongActionCountIsReportedByName() {
    Policy broken =
        new Policy() {
          @Override
          public float[] act(double[] observations, int numStates) {
            return new float[1];
          }

          @Override
          public String name() {
            return "broken";
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RolloutRunner.run(new FakeVectorEnv(2), broken, 1, r -> {}));
    assertEquals(
        "policy broken returned 1 action values for 1 states of action dim 2", e.getMessage());
  }

  @Test
  void zeroEpisodesIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RolloutRunner.run(new FakeVectorEnv(2), ZERO, 0, r -> {}));
  }
}
