package io.dtql.agent.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.NonFiniteLossException;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.train.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SacAgentTest {
  private static final ProblemShape BANDIT = new ProblemShape(2, 1, 1f);

  /** Small networks so the tests run in seconds. */
  private static SacConfig small(long seed) {
    return SacConfig.defaults(seed).withOverrides(Map.of("hidden-dim", "32", "batch-size", "64"));
  }

  /**
   * A one-step bandit: the state is constant, the reward is 1 - 4 (a - 0.5)^2 and every step ends
   * the episode. Filled with uniformly random actions, as the online loop's warm-up does.
   */
  private static ReplayBuffer banditReplay() {
    ReplayBuffer replay = new ReplayBuffer(2, 1, 4096);
    SplittableRandom rng = new SplittableRandom(7);
    float[] s = {0.3f, -0.2f};
    for (int i = 0; i < 4096; i++) {
      float[] a = {(float) (rng.nextDouble() * 2 - 1)};
      float r = 1 - 4 * (a[0] - 0.5f) * (a[0] - 0.5f);
      replay.add(s, 0, a, 0, r, s, 0, true);
    }
    return replay;
  }

  @Test
  void policyMovesToTheRewardingActionAndTheTemperatureFalls() {
    ReplayBuffer replay = banditReplay();
    SplitMix64 sampler = SplitMix64.forSeed(3);
    try (SacAgent agent = SacAgent.create(small(0), BANDIT)) {
      for (int i = 0; i < 1500; i++) {
        agent.update(replay.sample(64, sampler));
      }
      float mean = agent.act(new float[] {0.3f, -0.2f}, 1, null)[0];
      assertEquals(0.5, mean, 0.15, "deterministic action");
      assertTrue(agent.alpha() < 1.0, "alpha " + agent.alpha());
    }
  }

  @Test
  void restoredAgentContinuesBitForBit() {
    ReplayBuffer replay = banditReplay();
    List<Batch> batches = new ArrayList<>();
    SplitMix64 sampler = SplitMix64.forSeed(5);
    for (int i = 0; i < 12; i++) {
      batches.add(replay.sample(64, sampler));
    }
    List<StepMetrics> straight = new ArrayList<>();
    AgentState middle;
    try (SacAgent agent = SacAgent.create(small(1), BANDIT)) {
      for (int i = 0; i < 12; i++) {
        straight.add(agent.update(batches.get(i)));
      }
    }
    List<StepMetrics> resumed = new ArrayList<>();
    try (SacAgent agent = SacAgent.create(small(1), BANDIT)) {
      for (int i = 0; i < 6; i++) {
        agent.update(batches.get(i));
      }
      middle = agent.exportState();
    }
    try (SacAgent agent = SacAgent.restore(small(1), BANDIT, middle)) {
      assertEquals(6, agent.step());
      for (int i = 6; i < 12; i++) {
        resumed.add(agent.update(batches.get(i)));
      }
    }
    assertEquals(straight.subList(6, 12), resumed);
  }

  @Test
  void nativeArraysDoNotAccumulateAcrossUpdates() {
    ReplayBuffer replay = banditReplay();
    SplitMix64 sampler = SplitMix64.forSeed(9);
    try (SacAgent agent = SacAgent.create(small(2), BANDIT)) {
      agent.update(replay.sample(64, sampler));
      agent.act(new float[] {0, 0}, 1, new SplittableRandom(1));
      int live = agent.liveArrayCount();
      for (int i = 0; i < 20; i++) {
        agent.update(replay.sample(64, sampler));
        agent.act(new float[] {0, 0}, 1, new SplittableRandom(1));
      }
      assertEquals(live, agent.liveArrayCount());
    }
  }

  @Test
  void nonFiniteRewardStopsTheUpdateAndLeavesTheAgentUsable() {
    try (SacAgent agent = SacAgent.create(small(3), BANDIT)) {
      float[] s = new float[64 * 2];
      Batch bad = new Batch(64, 2, 1, s, new float[64], filled(Float.NaN), s, new float[64]);
      NonFiniteLossException e =
          assertThrows(NonFiniteLossException.class, () -> agent.update(bad));
      assertTrue(e.getMessage().contains("critic"), e.getMessage());
      assertEquals(0, agent.step());
      Batch good = new Batch(64, 2, 1, s, new float[64], filled(0.5f), s, new float[64]);
      StepMetrics m = agent.update(good);
      assertTrue(Double.isFinite(m.values().get("losses/critic")));
    }
  }

  @Test
  void everyUpdateReportsEachOptimisersLearningRate() {
    SacConfig config =
        SacConfig.defaults(5)
            .withOverrides(
                Map.of(
                    "hidden-dim",
                    "32",
                    "batch-size",
                    "64",
                    "actor-learning-rate",
                    "1e-4",
                    "critic-learning-rate",
                    "2e-4",
                    "alpha-learning-rate",
                    "5e-4"));
    ReplayBuffer replay = banditReplay();
    SplitMix64 sampler = SplitMix64.forSeed(5);
    try (SacAgent agent = SacAgent.create(config, BANDIT)) {
      for (int i = 0; i < 3; i++) {
        Map<String, Double> m = agent.update(replay.sample(64, sampler)).values();
        // The rates are constant, so each step reports exactly the configured one.
        assertEquals(1e-4, m.get("charts/lr_actor"), 0.0);
        assertEquals(2e-4, m.get("charts/lr_critic"), 0.0);
        assertEquals(5e-4, m.get("charts/lr_alpha"), 0.0);
      }
    }
  }

  @Test
  void exploratoryActionsStayInsideTheBoundAndDifferFromTheMean() {
    ProblemShape wide = new ProblemShape(3, 2, 2.5f);
    try (SacAgent agent = SacAgent.create(small(4), wide)) {
      float[] states = new float[30];
      float[] noisy = agent.act(states, 10, new SplittableRandom(0));
      float[] mean = agent.act(states, 10, null);
      for (float a : noisy) {
        assertTrue(Math.abs(a) <= 2.5f, "action " + a);
      }
      assertTrue(!java.util.Arrays.equals(noisy, mean));
      assertArrayEquals(mean, agent.act(states, 10, null));
    }
  }

  private static float[] filled(float v) {
    float[] a = new float[64];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
