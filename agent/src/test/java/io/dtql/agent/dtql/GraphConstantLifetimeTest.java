package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Constants that a backward pass needs (alpha in the actor loss, maxAction in the policy's
 * squashing, -1/2 in log pi) must stay alive until backward has run. DJL's {@code
 * NDArray.mul(Number)} wraps the number in a tensor over a Java direct buffer and frees that tensor
 * right after the forward op, while autograd still holds its storage: once the JVM collects the
 * buffer and the allocator hands the memory out again, backward multiplies by whatever lies there.
 * That made training depend on garbage-collection timing (same seed, different runs) and could
 * scale the trust-region term by garbage. These tests free and reuse native memory between the
 * forward and the backward pass and require the exact gradients.
 */
class GraphConstantLifetimeTest {
  private static final float POISON = 1000f;

  /** Lets the JVM free unreachable direct buffers, then refills small native blocks with POISON. */
  private static List<ByteBuffer> collectAndReuseNativeMemory() {
    List<ByteBuffer> held = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50); // the cleaner thread frees the collected buffers' memory
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int i = 0; i < 20_000; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        b.putFloat(0, POISON);
        held.add(b);
      }
    }
    return held;
  }

  @Test
  void actorObjectiveWeighsTheTrustRegionByAlphaEvenAfterNativeMemoryIsReused() {
    try (NDManager m = NDManager.newBaseManager();
        NDManager sm = m.newSubManager()) {
      NDArray trustRegion = sm.create(0.3f);
      NDArray qPi = sm.create(new float[] {1f, 2f}, new Shape(2, 1));
      trustRegion.setRequiresGradient(true);
      qPi.setRequiresGradient(true);
      List<ByteBuffer> held;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = DtqlLosses.actorObjective(trustRegion, qPi, null, 5.0, 0.0, sm);
        held = collectAndReuseNativeMemory();
        gc.backward(loss);
      }
      assertArrayEquals(new float[] {5f}, trustRegion.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {-0.5f, -0.5f}, qPi.getGradient().toFloatArray(), 1e-6f);
      held.clear();
    }
  }

  @Test
  void squashedSampleAndLogProbGradientsSurviveNativeMemoryReuse() {
    float maxAction = 0.5f;
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of());
        NDManager sm = m.newSubManager()) {
      GaussianActor actor =
          GaussianActor.create(store, "actor", 1, 1, 8, maxAction, new SplittableRandom(3));
      NDArray states = sm.create(new float[] {0.7f}, new Shape(1, 1));
      NDArray eps = sm.create(new float[] {0.2f}, new Shape(1, 1));
      NDArray preTanh = sm.create(new float[] {0.1f}, new Shape(1, 1));
      float[][] clean = gradients(actor, states, eps, preTanh, false);
      float[][] churned = gradients(actor, states, eps, preTanh, true);
      for (int i = 0; i < clean.length; i++) {
        assertArrayEquals(clean[i], churned[i], 1e-6f, "parameter " + i);
      }
    }
  }

  /** Gradients of sum(sample) + sum(logProb) with respect to every actor parameter. */
  private static float[][] gradients(
      GaussianActor actor, NDArray states, NDArray eps, NDArray preTanh, boolean churn) {
    List<ByteBuffer> held = List.of();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      GaussianActor.Heads h = actor.heads(states);
      NDArray objective = actor.sample(h, eps).sum().add(actor.logProb(h, preTanh).sum());
      if (churn) {
        held = collectAndReuseNativeMemory();
      }
      gc.backward(objective);
    }
    float[][] out = new float[actor.parameters().size()][];
    for (int i = 0; i < out.length; i++) {
      NDArray g = actor.parameters().get(i).getGradient();
      out[i] = g.toFloatArray();
      g.subi(g); // zero for the next pass (x - x keeps the handle's storage)
    }
    held.size();
    return out;
  }
}
