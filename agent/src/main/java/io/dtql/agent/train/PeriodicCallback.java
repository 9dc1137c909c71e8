package io.dtql.agent.train;

import io.dtql.agent.dtql.TrainableAgent;
import java.util.Map;

/**
 * Work the training loop hands off every so many steps, e.g. evaluating the current policy in a
 * simulator. It lets a caller look at the agent mid-run without the agent library knowing what the
 * caller does (the agent module has no simulator client).
 *
 * <p>A callback may read the agent and act with it ({@link TrainableAgent#actionSelector()}) but
 * must not update, export into or close it, and must draw any randomness from streams of its own: a
 * run with callbacks must learn exactly what the same run without them learns.
 */
@FunctionalInterface
public interface PeriodicCallback {
  /**
   * Called after the update that brought the agent to {@code step}.
   *
   * @return extra metrics for that step's row (namespaced, e.g. {@code eval/return_mean}); they
   *     must not reuse a name the agent reports
   */
  Map<String, Double> atStep(long step, TrainableAgent agent);
}
