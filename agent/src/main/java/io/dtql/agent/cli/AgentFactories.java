package io.dtql.agent.cli;

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

  /**
   * The DTQL agent. DtqlAgent allocates its tensors on the engine's default device (the first GPU
   * when there is one, else the CPU), so any other requested device is refused up front rather than
   * silently ignored.
   */
  static AgentFactory dtql() {
    return new AgentFactory() {
      @Override
      public TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device) {
        requireSupported(device);
        return DtqlAgent.create(config, shape);
      }

      @Override
      public TrainableAgent restore(
          DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
        requireSupported(device);
        return DtqlAgent.restore(config, shape, state);
      }

      @Override
      public void requireSupported(Device device) {
        Device engineDefault = Engine.getInstance().defaultDevice();
        if (!engineDefault.equals(device)) {
          throw new IllegalArgumentException(
              "the DTQL agent runs on the engine's default device "
                  + engineDefault
                  + "; --device "
                  + device
                  + " is not supported on this machine");
        }
      }
    };
  }
}
