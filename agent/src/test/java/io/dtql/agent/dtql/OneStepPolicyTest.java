package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneStepPolicyTest {
  private static final ProblemShape SHAPE = new ProblemShape(5, 2, 1.0f);

  private static float[] states(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] s = new float[n * SHAPE.obsDim()];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) random.nextGaussian();
    }
    return s;
  }

  @Test
  void actsExactlyAsTheTrainedAgentItWasRestoredFrom() {
    DtqlConfig config = TestBatches.smallConfig(11, 2, 0.99, false);
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      for (int s = 0; s < 6; s++) {
        agent.update(TestBatches.random(SHAPE, 16, 100 + s)); // actor and target move off init
      }
      AgentState state = agent.exportState();
      float[] obs = states(3, 5);
      try (OneStepPolicy policy = OneStepPolicy.restore(config, SHAPE, state)) {
        for (SelectionMode mode : SelectionMode.values()) {
          // Same inputs, same shapes, same machine: the same native kernels, so bit equality.
          float[] fromAgent = agent.selectActions(obs, 3, mode, new SplittableRandom(9));
          float[] fromPolicy = policy.selectActions(obs, 3, mode, new SplittableRandom(9));
          assertArrayEquals(fromAgent, fromPolicy, mode.toString());
        }
      }
    }
  }

  @Test
  void holdsOnlyTheActorAndTheTargetCriticAndFreesEveryCallsArrays() {
    DtqlConfig config = TestBatches.smallConfig(12, 0, 0.99, false);
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE);
        OneStepPolicy policy = OneStepPolicy.restore(config, SHAPE, agent.exportState())) {
      int held = policy.liveArrayCount();
      assertTrue(
          held < agent.liveArrayCount() / 2,
          "policy holds " + held + " arrays, the agent " + agent.liveArrayCount());
      policy.selectActions(states(4, 1), 4, SelectionMode.REFERENCE, new SplittableRandom(1));
      assertEquals(held, policy.liveArrayCount());
    }
  }

  @Test
  void aStateWithoutTheActorsTensorsIsRefusedWithTheMissingName() {
    DtqlConfig config = TestBatches.smallConfig(13, 0, 0.99, false);
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      AgentState full = agent.exportState();
      Map<String, TensorData> tensors = new HashMap<>(full.tensors());
      tensors.keySet().removeIf(name -> name.startsWith("actor/"));
      AgentState partial = new AgentState(full.step(), tensors, full.counters());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> OneStepPolicy.restore(config, SHAPE, partial).close());
      assertTrue(e.getMessage().contains("actor/"), e.getMessage());
    }
  }
}
