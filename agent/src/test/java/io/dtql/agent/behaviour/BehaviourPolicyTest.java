package io.dtql.agent.behaviour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.sac.SacAgent;
import io.dtql.agent.sac.SacConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BehaviourPolicyTest {
  private static final ProblemShape SHAPE = new ProblemShape(5, 2, 1.5f);

  private static SacAgent agent() {
    return SacAgent.create(SacConfig.defaults(11).withOverrides(Map.of("hidden-dim", "16")), SHAPE);
  }

  @Test
  void plainJavaMeanActionMatchesTheNetworkItCameFrom() {
    try (SacAgent agent = agent()) {
      BehaviourPolicy policy = new BehaviourPolicy(agent.actorWeights(), 5, 2, 1.5f);
      SplittableRandom rng = new SplittableRandom(3);
      for (int trial = 0; trial < 20; trial++) {
        double[] state = new double[5];
        float[] stateF = new float[5];
        for (int i = 0; i < 5; i++) {
          state[i] = rng.nextGaussian() * 3;
          stateF[i] = (float) state[i];
        }
        float[] viaDjl = agent.act(stateF, 1, null);
        float[] viaJava = policy.meanAction(state, 0);
        assertArrayEquals(viaDjl, viaJava, 1e-5f, "state " + Arrays.toString(state));
      }
    }
  }

  @Test
  void sampledLogProbabilityIsTheSquashedGaussianDensity() {
    // One layer that ignores the state: mean (0.3, -0.2), log-std (-0.5, 0.1).
    Map<String, TensorData> actor = new HashMap<>();
    actor.put("actor/0/weight", new TensorData(new long[] {4, 1}, new float[4]));
    actor.put(
        "actor/0/bias", new TensorData(new long[] {4}, new float[] {0.3f, -0.2f, -0.5f, 0.1f}));
    BehaviourPolicy policy = new BehaviourPolicy(actor, 1, 2, 2f);
    StrictNormal noise = new StrictNormal(4);
    for (int i = 0; i < 50; i++) {
      BehaviourPolicy.Action a = policy.sample(new double[] {1}, 0, noise);
      double expected = 0;
      double[] mean = {0.3, -0.2};
      double[] logStd = {-0.5f, 0.1f};
      for (int j = 0; j < 2; j++) {
        double y = a.action()[j] / 2.0; // in (-1, 1)
        double u = 0.5 * Math.log((1 + y) / (1 - y));
        double std = Math.exp(logStd[j]);
        double gaussian =
            -0.5 * Math.pow((u - mean[j]) / std, 2) - Math.log(std) - 0.5 * Math.log(2 * Math.PI);
        expected += gaussian - Math.log(2 * (1 - y * y)); // da/du = 2 (1 - tanh(u)^2)
      }
      // The action is rounded to float before the check recovers u from it.
      assertEquals(expected, a.logProb(), 1e-3, "draw " + i);
    }
  }

  @Test
  void strictNormalIsSeededAndStandard() {
    StrictNormal a = new StrictNormal(9);
    StrictNormal b = new StrictNormal(9);
    double sum = 0;
    double sq = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double x = a.next();
      assertEquals(x, b.next());
      sum += x;
      sq += x * x;
    }
    assertEquals(0, sum / n, 0.01);
    assertEquals(1, sq / n - Math.pow(sum / n, 2), 0.01);
  }

  @Test
  void fileRoundTripsAndRefusesDamage(@TempDir Path dir) throws IOException {
    try (SacAgent agent = agent()) {
      var meta = BehaviourPolicyFile.describe("hopper", 5, 2, 1.5f);
      meta.addProperty("kind", "medium");
      BehaviourPolicyFile file = new BehaviourPolicyFile(meta, agent.actorWeights());
      Path path = dir.resolve("p.policy");
      file.write(path);
      BehaviourPolicyFile read = BehaviourPolicyFile.read(path);
      assertEquals("medium", read.metadata().get("kind").getAsString());
      assertArrayEquals(file.encode(), read.encode(), "same contents, same bytes");
      double[] s = {0.1, 0.2, 0.3, 0.4, 0.5};
      assertArrayEquals(file.policy().meanAction(s, 0), read.policy().meanAction(s, 0));

      byte[] bytes = Files.readAllBytes(path);
      bytes[bytes.length - 20] ^= 4;
      Files.write(path, bytes);
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> BehaviourPolicyFile.read(path));
      assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }
  }

  @Test
  void weightsThatDoNotFitTheDescriptionAreRefused() {
    try (SacAgent agent = agent()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new BehaviourPolicy(agent.actorWeights(), 6, 2, 1.5f));
      assertTrue(e.getMessage().contains("input width 6"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> new BehaviourPolicy(agent.actorWeights(), 5, 3, 1.5f));
    }
  }

  @Test
  void batchedPassIsBitIdenticalToTheOneStatePass() {
    try (SacAgent agent = agent()) {
      BehaviourPolicy policy = new BehaviourPolicy(agent.actorWeights(), 5, 2, 1.5f);
      SplittableRandom rng = new SplittableRandom(8);
      int n = 19; // two full blocks and a partial one
      double[] states = new double[n * 5];
      for (int i = 0; i < states.length; i++) {
        states[i] = rng.nextGaussian() * 4;
      }
      double[] batch = policy.heads(states, 0, n);
      for (int k = 0; k < n; k++) {
        float[] one = policy.meanAction(states, k * 5);
        assertArrayEquals(one, policy.meanFromHeads(batch, k * 4), "state " + k);
        BehaviourPolicy.Action a = policy.sample(states, k * 5, new StrictNormal(k));
        BehaviourPolicy.Action b = policy.sampleFromHeads(batch, k * 4, new StrictNormal(k));
        assertArrayEquals(a.action(), b.action());
        assertEquals(a.logProb(), b.logProb());
      }
    }
  }
}
