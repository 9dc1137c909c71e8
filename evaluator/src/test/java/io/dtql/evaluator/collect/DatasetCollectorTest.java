package io.dtql.evaluator.collect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.InfoColumn;
import io.dtql.evaluator.FakeVectorEnv;
import io.dtql.evaluator.RandomPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetCollectorTest {
  private static UniformActions uniform(int numEnvs) {
    return new UniformActions(new double[] {-1, -1}, new double[] {1, 1}, numEnvs, 5);
  }

  @Test
  void yieldsExactlyTheRowsAskedForWithEpisodesContiguousAndTheCutMarked() {
    // Env 0's episodes last 3 steps, env 1's 5; observations count the steps of an episode.
    DatasetCollector.Rows rows =
        DatasetCollector.collect(new FakeVectorEnv(3, 5), uniform(2), 11, n -> {});
    D4rlData d = rows.data();
    assertEquals(11, d.rows());
    for (int i = 0; i < d.rows(); i++) {
      boolean ends = d.terminals()[i] || d.timeouts()[i];
      if (i + 1 < d.rows()) {
        // Within an episode the next row's observation is one step further.
        float here = d.observations()[i];
        float next = d.observations()[i + 1];
        assertEquals(ends ? 0f : here + 1, next, "row " + i);
      }
    }
    assertTrue(d.terminals()[10] || d.timeouts()[10], "the last row ends its episode");
    assertFalse(d.terminals()[10] && d.timeouts()[10]);
  }

  @Test
  void recordsTheLogDensityOfEveryUniformAction() {
    DatasetCollector.Rows rows =
        DatasetCollector.collect(new FakeVectorEnv(4, 4), uniform(2), 20, n -> {});
    InfoColumn logProbs = rows.infos().get(DatasetCollector.LOG_PROBS);
    assertEquals(20, logProbs.rows());
    assertTrue(logProbs.vector());
    for (double v : logProbs.values()) {
      assertEquals(-2 * Math.log(2), v, 1e-12);
    }
    for (float a : rows.data().actions()) {
      assertTrue(a >= -1 && a <= 1, "action " + a);
    }
  }

  @Test
  void aPolicyWithoutDensityRecordsNoLogProbs() {
    CollectionPolicy random =
        CollectionPolicy.of(new RandomPolicy(new double[] {-1, -1}, new double[] {1, 1}), 3);
    DatasetCollector.Rows rows = DatasetCollector.collect(new FakeVectorEnv(4), random, 9, n -> {});
    assertTrue(rows.infos().isEmpty());
    assertEquals(9, rows.data().rows());
  }

  @Test
  void eachEnvDrawsFromItsOwnStreamWhateverItIsSteppedWith() {
    UniformActions together = uniform(3);
    UniformActions alone = uniform(3);
    double[] logProbs = new double[3];
    float[] all = together.act(new double[3], new int[] {0, 1, 2}, logProbs);
    float[] onlyTwo = alone.act(new double[1], new int[] {2}, logProbs);
    assertArrayEquals(new float[] {all[4], all[5]}, onlyTwo);
  }

  @Test
  void concatenationKeepsOrderAndRefusesPartsWithDifferentInfos() {
    DatasetCollector.Rows a =
        DatasetCollector.collect(new FakeVectorEnv(3), uniform(1), 4, n -> {});
    DatasetCollector.Rows b =
        DatasetCollector.collect(new FakeVectorEnv(2), uniform(1), 5, n -> {});
    DatasetCollector.Rows both = DatasetCollector.concat(List.of(a, b));
    assertEquals(9, both.data().rows());
    assertEquals(a.data().rewards()[3], both.data().rewards()[3]);
    assertEquals(b.data().rewards()[0], both.data().rewards()[4]);
    assertEquals(9, both.infos().get(DatasetCollector.LOG_PROBS).rows());
    DatasetCollector.Rows noInfos = new DatasetCollector.Rows(b.data(), Map.of());
    assertThrows(
        IllegalArgumentException.class, () -> DatasetCollector.concat(List.of(a, noInfos)));
  }

  /** A policy with a density that always takes the same action. */
  private static CollectionPolicy constant(float value) {
    return new CollectionPolicy() {
      @Override
      public float[] act(double[] observations, int[] envIds, double[] logProbsOut) {
        float[] a = new float[envIds.length * 2];
        java.util.Arrays.fill(a, value);
        return a;
      }

      @Override
      public boolean recordsLogProbs() {
        return true;
      }

      @Override
      public String name() {
        return "constant " + value;
      }
    };
  }

  @Test
  void phasesChangeThePolicyInsideRunningEpisodes() {
    List<DatasetCollector.Phase> phases =
        List.of(
            new DatasetCollector.Phase(constant(0f), 3),
            new DatasetCollector.Phase(constant(1f), 4));
    DatasetCollector.Rows rows = DatasetCollector.collect(new FakeVectorEnv(10), phases, n -> {});
    D4rlData d = rows.data();
    assertEquals(7, d.rows());
    for (int i = 0; i < 7; i++) {
      assertEquals(i < 3 ? 0f : 1f, d.actions()[2 * i], "row " + i);
      assertEquals(i, d.observations()[i], "one episode runs on across the change");
    }
    assertTrue(d.timeouts()[6]);
    assertFalse(d.terminals()[6]);
  }

  @Test
  void theTwoHalvesOfTheEnvsAreSteppedInTurn() {
    FakeVectorEnv env = new FakeVectorEnv(4, 4, 4, 4, 4);
    DatasetCollector.collect(env, uniform(5), 40, n -> {});
    List<int[]> calls = env.stepCalls();
    assertTrue(calls.size() >= 16, "calls: " + calls.size());
    for (int c = 0; c < calls.size(); c++) {
      assertArrayEquals(c % 2 == 0 ? new int[] {0, 1, 2} : new int[] {3, 4}, calls.get(c));
    }
  }

  @Test
  void aFailedStepReachesTheCallerAsTheEnvThrewIt() {
    FakeVectorEnv env = new FakeVectorEnv(3, 3).failingAtStepCall(5);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DatasetCollector.collect(env, uniform(2), 100, n -> {}));
    assertEquals("scripted failure at step call 5", e.getMessage());
    assertEquals(5, env.stepCalls().size(), "no step is sent after the failure");
  }

  @Test
  void envsSpreadOverSessionsGiveTheSameDataAsOneSession() {
    DatasetCollector.Rows one =
        DatasetCollector.collect(
            List.of(new FakeVectorEnv(3, 5, 2, 7, 4)),
            List.of(
                new DatasetCollector.Phase(uniform(5), 25),
                new DatasetCollector.Phase(constant(1f), 35)),
            n -> {});
    FakeVectorEnv first = new FakeVectorEnv(3, 5);
    FakeVectorEnv second = new FakeVectorEnv(2, 7, 4);
    DatasetCollector.Rows two =
        DatasetCollector.collect(
            List.of(first, second),
            List.of(
                new DatasetCollector.Phase(uniform(5), 25),
                new DatasetCollector.Phase(constant(1f), 35)),
            n -> {});
    assertEquals(1f, one.data().actions()[2 * 59], "the second phase acts at the end");
    // (The fake's rewards depend on an env's id within its session, so they are not compared.)
    assertArrayEquals(one.data().observations(), two.data().observations());
    assertArrayEquals(one.data().actions(), two.data().actions());
    assertArrayEquals(one.data().terminals(), two.data().terminals());
    assertArrayEquals(one.data().timeouts(), two.data().timeouts());
    assertArrayEquals(
        one.infos().get(DatasetCollector.LOG_PROBS).values(),
        two.infos().get(DatasetCollector.LOG_PROBS).values());
    // Each session is stepped whole.
    first.stepCalls().forEach(ids -> assertArrayEquals(new int[] {0, 1}, ids));
    second.stepCalls().forEach(ids -> assertArrayEquals(new int[] {0, 1, 2}, ids));
  }
}
