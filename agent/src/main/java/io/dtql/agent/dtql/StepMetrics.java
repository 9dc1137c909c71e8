package io.dtql.agent.dtql;

import java.util.Map;

/**
 * What one gradient step reports: the step number after the update and namespaced scalar metrics,
 * e.g. {@code losses/critic}, {@code losses/bc}, {@code losses/actor}, {@code losses/trust_region},
 * {@code values/q_mean}.
 */
public record StepMetrics(long step, Map<String, Double> values) {
  public StepMetrics {
    values = Map.copyOf(values);
  }
}
