package io.dtql.agent.cli;

import ai.djl.Device;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.train.AgentFactory;

/** The agents the command can train. */
final class AgentFactories {
  private AgentFactories() {}

  /**
   * The DTQL agent. Until the DTQL core is merged into this branch, this fails with a clear
   * message rather than training something else.
   */
  static AgentFactory dtql() {
    return new AgentFactory() {
      @Override
      public TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device) {
        throw notWired();
      }

      @Override
      public TrainableAgent restore(
          DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
        throw notWired();
      }
    };
  }

  private static UnsupportedOperationException notWired() {
    return new UnsupportedOperationException("the DTQL agent is not part of this build yet");
  }
}
