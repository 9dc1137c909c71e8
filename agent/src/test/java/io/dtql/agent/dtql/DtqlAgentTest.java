package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DtqlAgentTest {
  private static final ProblemShape SHAPE = new ProblemShape(5, 2, 1.0f);

  private static void train(DtqlAgent agent, long fromStep, long toStep) {
    for (long s = fromStep; s < toStep; s++) {
      // The batch is a function of the step, as the training loop's seeded sampler makes it.
      agent.update(TestBatches.random(SHAPE, 16, 1000 + s));
    }
  }

  @Test
  void updateReportsCriticAndBcLossesWhilePretrainingAndActorLossesAfter() {
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(1, 1, 0.5, false), SHAPE)) {
      StepMetrics first = agent.update(TestBatches.random(SHAPE, 16, 1));
      assertEquals(1, first.step());
      assertTrue(first.values().containsKey("losses/critic"));
      assertTrue(first.values().containsKey("losses/value"));
      assertTrue(first.values().containsKey("losses/bc"));
      assertTrue(first.values().containsKey("values/q_mean"));
      assertTrue(first.values().containsKey("values/v_mean"));
      assertFalse(first.values().containsKey("losses/actor"));
      assertEquals(3e-4, first.values().get("charts/lr_critic"), 1e-12);
      assertEquals(3e-4, first.values().get("charts/lr_bc"), 1e-12);
      assertFalse(first.values().containsKey("charts/lr_actor"));
      StepMetrics second = agent.update(TestBatches.random(SHAPE, 16, 2));
      assertEquals(2, second.step());
      for (String k :
          new String[] {"losses/actor", "losses/trust_region", "losses/nll", "charts/lr_actor"}) {
        assertTrue(second.values().containsKey(k), k);
      }
      assertEquals(3e-4, second.values().get("charts/lr_actor"), 1e-12);
      second.values().values().forEach(v -> assertTrue(Double.isFinite(v)));
    }
  }

  @Test
  void withLrDecayEveryRateHoldsDuringPretrainingAndThenFollowsTheCosineAtEveryStep() {
    // 4 pretraining steps, then 8 training steps (smallConfig: 1000 training steps; override).
    // The critic's own base rate differs from the BC and actor rate, so the keys cannot be mixed
    // up.
    DtqlConfig config =
        io.dtql.agent.preset.ConfigFields.withOverrides(
            TestBatches.smallConfig(5, 4, 0, true),
            Map.of("train-steps", "8", "critic-learning-rate", "1e-3"));
    assertEquals(12, config.endStep());
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      double previousActorRate = Double.POSITIVE_INFINITY;
      for (int s = 0; s < 12; s++) {
        Map<String, Double> m = agent.update(TestBatches.random(SHAPE, 16, s)).values();
        String at = "update " + (s + 1);
        if (s < 4) {
          // Pretraining: the critic and BC rates are exactly their base rates, no actor yet.
          assertEquals(1e-3, m.get("charts/lr_critic"), 0.0, at);
          assertEquals(3e-4, m.get("charts/lr_bc"), 0.0, at);
          assertFalse(m.containsKey("charts/lr_actor"), at);
          continue;
        }
        // Training update k (0-based) of 8: every rate is base * (1 + cos(pi k / 8)) / 2.
        int k = s - 4;
        double cosine = 0.5 * (1 + Math.cos(Math.PI * k / 8));
        assertEquals(1e-3 * cosine, m.get("charts/lr_critic"), 1e-15, at);
        assertEquals(3e-4 * cosine, m.get("charts/lr_bc"), 1e-15, at);
        double actorRate = m.get("charts/lr_actor");
        assertEquals(3e-4 * cosine, actorRate, 1e-15, at);
        if (k == 0) {
          assertEquals(3e-4, actorRate, 0.0, "the first training update uses the base rate");
        } else {
          assertTrue(actorRate < previousActorRate, at + ": " + actorRate);
        }
        previousActorRate = actorRate;
      }
      // The last update (k = 7) is close to, but not at, 0.
      assertTrue(previousActorRate > 0 && previousActorRate < 0.05 * 3e-4, "" + previousActorRate);
    }
  }

  @Test
  void nativeArrayCountDoesNotGrowOverTwoHundredSteps() {
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(2, 20, 1.0, true), SHAPE)) {
      train(agent, 0, 30); // past pretraining, so every phase has run at least once
      agent.selectActions(new float[5], 1, SelectionMode.REFERENCE);
      int before = agent.liveArrayCount();
      train(agent, 30, 230);
      agent.selectActions(new float[10], 2, SelectionMode.REFERENCE);
      agent.selectActions(new float[10], 2, SelectionMode.DETERMINISTIC);
      assertEquals(before, agent.liveArrayCount());
    }
  }

  @Test
  void sameSeedGivesBitIdenticalParameters() {
    Map<String, TensorData> a;
    Map<String, TensorData> b;
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(3, 10, 1.0, false), SHAPE)) {
      train(agent, 0, 40);
      a = agent.exportState().tensors();
    }
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(3, 10, 1.0, false), SHAPE)) {
      train(agent, 0, 40);
      b = agent.exportState().tensors();
    }
    assertSameTensors(a, b);
  }

  @Test
  void agentOnAnExplicitCpuDeviceTrainsLikeTheDefaultOne() {
    Map<String, TensorData> onDefault;
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(3, 10, 1.0, false), SHAPE)) {
      train(agent, 0, 15);
      onDefault = agent.exportState().tensors();
    }
    try (DtqlAgent agent =
        DtqlAgent.create(TestBatches.smallConfig(3, 10, 1.0, false), SHAPE, Device.cpu())) {
      train(agent, 0, 15);
      assertSameTensors(onDefault, agent.exportState().tensors());
    }
  }

  @Test
  void differentSeedGivesDifferentParameters() {
    try (DtqlAgent x = DtqlAgent.create(TestBatches.smallConfig(4, 10, 0, false), SHAPE);
        DtqlAgent y = DtqlAgent.create(TestBatches.smallConfig(5, 10, 0, false), SHAPE)) {
      float[] wx = x.exportState().tensors().get("actor/0/weight").data();
      float[] wy = y.exportState().tensors().get("actor/0/weight").data();
      assertFalse(Arrays.equals(wx, wy));
    }
  }

  @Test
  void resumingFromExportedStateMatchesAnUninterruptedRunBitForBit() {
    DtqlConfig config = TestBatches.smallConfig(6, 50, 1.0, true);
    AgentState straight;
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      train(agent, 0, 200);
      straight = agent.exportState();
    }
    AgentState halfway;
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      train(agent, 0, 100);
      halfway = agent.exportState();
    }
    AgentState resumed;
    try (DtqlAgent agent = DtqlAgent.restore(config, SHAPE, halfway)) {
      assertEquals(100, agent.step());
      train(agent, 100, 200);
      resumed = agent.exportState();
    }
    assertEquals(straight.step(), resumed.step());
    assertEquals(straight.counters(), resumed.counters());
    assertSameTensors(straight.tensors(), resumed.tensors());
  }

  @Test
  void exportedStateHoldsParametersTargetsMomentsAndCounters() {
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(7, 1, 0, false), SHAPE)) {
      train(agent, 0, 3);
      AgentState state = agent.exportState();
      assertEquals(3, state.step());
      assertEquals(3L, state.counters().get("optim/critic/updates"));
      assertEquals(3L, state.counters().get("optim/bc/updates"));
      assertEquals(2L, state.counters().get("optim/actor/updates"));
      assertTrue(state.tensors().containsKey("critic/q1/0/weight"));
      assertTrue(state.tensors().containsKey("critic_target/q2/3/bias"));
      assertTrue(state.tensors().containsKey("optim/actor/v"));
      assertTrue(state.tensors().containsKey("optim/critic/m"));
      assertArrayEquals(new long[] {32, 5 + 2}, state.tensors().get("critic/q1/0/weight").shape());
    }
  }

  @Test
  void nonFiniteRewardFailsNamingTheLossBeforeAnyParameterChanges() {
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(8, 0, 0, false), SHAPE)) {
      Map<String, TensorData> before = agent.exportState().tensors();
      Batch good = TestBatches.random(SHAPE, 16, 9);
      float[] rewards = good.rewards().clone();
      rewards[3] = Float.NaN;
      Batch bad =
          new Batch(
              16,
              5,
              2,
              good.observations(),
              good.actions(),
              rewards,
              good.nextObservations(),
              good.dones());
      NonFiniteLossException e =
          assertThrows(NonFiniteLossException.class, () -> agent.update(bad));
      assertEquals("critic", e.lossName());
      assertEquals(0, e.step());
      assertTrue(e.getMessage().contains("critic"));
      assertSameTensors(before, agent.exportState().tensors());
      assertEquals(0, agent.step());

      // The failed step's gradients were discarded: the next good step trains normally and
      // matches a fresh agent's first step exactly.
      agent.update(good);
      try (DtqlAgent fresh = DtqlAgent.create(TestBatches.smallConfig(8, 0, 0, false), SHAPE)) {
        fresh.update(good);
        assertSameTensors(fresh.exportState().tensors(), agent.exportState().tensors());
      }
    }
  }

  @Test
  void batchOfTheWrongShapeIsRejected() {
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(9, 0, 0, false), SHAPE)) {
      Batch wrong = TestBatches.random(new ProblemShape(4, 2, 1f), 16, 1);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> agent.update(wrong));
      assertTrue(e.getMessage().contains("obs-dim 4"), e.getMessage());
    }
  }

  @Test
  void selectedActionsHaveOneRowPerStateWithinTheBound() {
    ProblemShape shape = new ProblemShape(5, 2, 0.4f);
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(10, 0, 0, false), shape)) {
      float[] obs = new float[3 * 5];
      Arrays.fill(obs, 0.3f);
      for (SelectionMode mode : SelectionMode.values()) {
        float[] a = agent.selectActions(obs, 3, mode);
        assertEquals(3 * 2, a.length);
        for (float x : a) {
          assertTrue(Math.abs(x) <= 0.4f + 1e-6f, mode + " action " + x);
        }
      }
      float[] d1 = agent.selectActions(obs, 3, SelectionMode.DETERMINISTIC);
      float[] d2 = agent.selectActions(obs, 3, SelectionMode.DETERMINISTIC);
      assertArrayEquals(d1, d2); // same inputs, same machine: bit-identical is real
      // Rows of one batch with the same state: matmul kernels may block rows differently (e.g.
      // with AVX-512), so equal rows agree only to rounding, never necessarily bit for bit.
      assertArrayEquals(Arrays.copyOfRange(d1, 0, 2), Arrays.copyOfRange(d1, 4, 6), 1e-5f);
      assertThrows(
          IllegalArgumentException.class,
          () -> agent.selectActions(new float[7], 2, SelectionMode.REFERENCE));
    }
  }

  @Test
  void referenceSelectionSamplesEachStatesOwnPolicy() {
    AgentState state;
    DtqlConfig config = TestBatches.smallConfig(12, 0, 0, false);
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      state = agent.exportState();
    }
    // Make the policy nearly deterministic (log-std at its floor of -5) so every candidate of a
    // state sits within a few hundredths of that state's mean action.
    Map<String, TensorData> tensors = new java.util.HashMap<>(state.tensors());
    TensorData w = tensors.get("actor/3/weight"); // (2 * actDim, hidden)
    TensorData b = tensors.get("actor/3/bias");
    float[] wd = w.data().clone();
    float[] bd = b.data().clone();
    int hidden = (int) w.shape()[1];
    for (int row = SHAPE.actDim(); row < 2 * SHAPE.actDim(); row++) {
      Arrays.fill(wd, row * hidden, (row + 1) * hidden, 0f);
      bd[row] = -10f;
    }
    tensors.put("actor/3/weight", new TensorData(w.shape(), wd));
    tensors.put("actor/3/bias", new TensorData(b.shape(), bd));
    AgentState narrow = new AgentState(state.step(), tensors, state.counters());
    try (DtqlAgent agent = DtqlAgent.restore(config, SHAPE, narrow)) {
      float[] obs = new float[2 * 5];
      for (int i = 0; i < 5; i++) {
        obs[i] = 3f * (i % 2 == 0 ? 1 : -1);
        obs[5 + i] = -obs[i];
      }
      float[] mean = agent.selectActions(obs, 2, SelectionMode.DETERMINISTIC);
      float[] chosen = agent.selectActions(obs, 2, SelectionMode.REFERENCE);
      double apart = Math.abs(mean[0] - mean[2]) + Math.abs(mean[1] - mean[3]);
      assertTrue(apart > 0.1, "the two states should have different mean actions: " + apart);
      assertArrayEquals(mean, chosen, 0.05f);
    }
  }

  @Test
  void restoreRejectsAStateFromADifferentNetworkSize() {
    AgentState state;
    try (DtqlAgent agent = DtqlAgent.create(TestBatches.smallConfig(11, 0, 0, false), SHAPE)) {
      state = agent.exportState();
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DtqlAgent.restore(
                    TestBatches.smallConfig(11, 0, 0, false), new ProblemShape(6, 2, 1f), state));
    assertTrue(e.getMessage().contains("shape"), e.getMessage());
  }

  static void assertSameTensors(Map<String, TensorData> a, Map<String, TensorData> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
      assertArrayEquals(a.get(k).data(), b.get(k).data(), k); // exact float equality
    }
  }
}
