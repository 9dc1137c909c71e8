package io.dtql.agent.train;

import ai.djl.Device;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.dtql.TrainableAgent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deterministic stand-in for DtqlAgent whose parameters are a chaotic function of every batch
 * seen, in order: two runs end with bit-identical parameters only if they saw the same batches in
 * the same order, which is exactly what resume must guarantee.
 */
public class FakeAgent implements TrainableAgent {
  private final float[] weights;
  private final long pretrainSteps;
  private long step;
  private boolean closed;
  private Consumer<FakeAgent> afterUpdate = agent -> {};

  FakeAgent(long pretrainSteps, float[] weights, long step) {
    this.pretrainSteps = pretrainSteps;
    this.weights = weights.clone();
    this.step = step;
  }

  public void afterUpdate(Consumer<FakeAgent> hook) {
    this.afterUpdate = hook;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public StepMetrics update(Batch batch) {
    if (closed) {
      throw new IllegalStateException("update after close");
    }
    mix(batch.observations());
    mix(batch.actions());
    mix(batch.rewards());
    mix(batch.nextObservations());
    mix(batch.dones());
    step++;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("losses/critic", (double) weights[0]);
    metrics.put("losses/bc", (double) weights[1]);
    if (step > pretrainSteps) {
      metrics.put("losses/actor", (double) weights[2]);
    }
    StepMetrics result = new StepMetrics(step, metrics);
    afterUpdate.accept(this);
    return result;
  }

  private void mix(float[] values) {
    for (int i = 0; i < values.length; i++) {
      int k = i % weights.length;
      weights[k] = (float) Math.sin(weights[k] * 1.7f + values[i] + 0.1f * k);
    }
  }

  @Override
  public AgentState exportState() {
    return new AgentState(
        step,
        Map.of("w", new TensorData(new long[] {weights.length}, weights.clone())),
        Map.of("updates", step));
  }

  public float[] weights() {
    return weights.clone();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Builds fake agents and remembers the last one, so tests can inspect it after a session. */
  public static final class Factory implements AgentFactory {
    private FakeAgent last;
    private Consumer<FakeAgent> afterUpdate = agent -> {};

    public void afterUpdate(Consumer<FakeAgent> hook) {
      this.afterUpdate = hook;
    }

    public FakeAgent last() {
      return last;
    }

    @Override
    public TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device) {
      return remember(
          new FakeAgent(config.pretrainSteps(), new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 0));
    }

    @Override
    public TrainableAgent restore(
        DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
      return remember(
          new FakeAgent(config.pretrainSteps(), state.tensors().get("w").data(), state.step()));
    }

    private FakeAgent remember(FakeAgent agent) {
      agent.afterUpdate(afterUpdate);
      last = agent;
      return agent;
    }
  }
}
