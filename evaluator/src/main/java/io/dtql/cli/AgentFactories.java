package io.dtql.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.train.AgentFactory;

/** The agents the command can train. */
final class AgentFactories {
  private AgentFactories() {}

  /** The DTQL agent, with its tensors on the requested device. */
  static AgentFactory dtql() {
    return new AgentFactory() {
      @Override
      public TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device) {
        requireSupported(device);
        return DtqlAgent.create(config, shape, device);
      }

      @Override
      public TrainableAgent restore(
          DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
        requireSupported(device);
        return DtqlAgent.restore(config, shape, state, device);
      }

      @Override
      public void requireSupported(Device device) {
        if (device.isGpu() && device.getDeviceId() >= Engine.getInstance().getGpuCount()) {
          throw new IllegalArgumentException(
              "--device " + device + ": the PyTorch engine finds no such GPU");
        }
      }
    };
  }
}
