package io.dtql.agent.train;

import ai.djl.Device;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TrainableAgent;

/** Builds the agent a run trains: fresh, or continuing from a checkpoint's state. */
public interface AgentFactory {
  TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device);

  TrainableAgent restore(DtqlConfig config, ProblemShape shape, AgentState state, Device device);

  /**
   * Refuses, before any data is loaded, a device this factory cannot build agents on.
   *
   * @throws IllegalArgumentException naming the device and why
   */
  default void requireSupported(Device device) {}
}
