package io.dtql.agent.dtql;

import java.util.Map;

/**
 * Everything an agent needs to continue training exactly where it stopped: the gradient step, every
 * named tensor (network parameters, target-network copies, optimiser moments) and scalar counters
 * (for example optimiser step counts). Held in Java memory, so it outlives any NDManager; the
 * checkpoint file format serialises exactly this plus the run's configuration.
 */
public record AgentState(long step, Map<String, TensorData> tensors, Map<String, Long> counters) {
  public AgentState {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    tensors = Map.copyOf(tensors);
    counters = Map.copyOf(counters);
  }
}
