package io.dtql.agent.dtql;

import java.util.Optional;

/**
 * What the training loop needs from an agent. {@code DtqlAgent} implements it; tests of the loop
 * may use a fake.
 */
public interface TrainableAgent extends AutoCloseable {
  /** Gradient steps taken so far. */
  long step();

  /** One full gradient step on the batch; returns the step's metrics. */
  StepMetrics update(Batch batch);

  /**
   * A view that acts with this agent without changing it, for evaluation during training; empty for
   * an agent that cannot act through {@link ActionSelector}.
   */
  default Optional<ActionSelector> actionSelector() {
    return Optional.empty();
  }

  /** A snapshot of everything needed to resume training exactly. */
  AgentState exportState();

  @Override
  void close();
}
