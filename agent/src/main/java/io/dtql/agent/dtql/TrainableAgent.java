package io.dtql.agent.dtql;

/**
 * What the training loop needs from an agent. {@code DtqlAgent} implements it; tests of the loop
 * may use a fake.
 */
public interface TrainableAgent extends AutoCloseable {
  /** Gradient steps taken so far. */
  long step();

  /** One full gradient step on the batch; returns the step's metrics. */
  StepMetrics update(Batch batch);

  /** A snapshot of everything needed to resume training exactly. */
  AgentState exportState();

  @Override
  void close();
}
