package io.dtql.agent.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * One logged training step.
 *
 * @param step gradient step after the update
 * @param wallTimeSeconds seconds spent training the run so far, over every process (cumulative
 *     across resumes)
 * @param stepsPerSecond training speed over the last logging interval
 * @param values the agent's namespaced metrics, sorted by name
 */
public record MetricsRow(
    long step, double wallTimeSeconds, double stepsPerSecond, Map<String, Double> values) {
  public static final String STEP = "step";
  public static final String WALL_TIME = "wall_time_s";
  public static final String STEPS_PER_SECOND = "charts/steps_per_s";

  public MetricsRow {
    values = new TreeMap<>(values);
    for (String name : values.keySet()) {
      if (name.equals(STEP) || name.equals(WALL_TIME) || name.equals(STEPS_PER_SECOND)) {
        throw new IllegalArgumentException(
            "metric name '" + name + "' is reserved by the training loop");
      }
    }
  }

  /** All columns in output order: step, wall time, speed, then the agent's metrics by name. */
  public Map<String, Double> columns() {
    Map<String, Double> columns = new java.util.LinkedHashMap<>();
    columns.put(STEP, (double) step);
    columns.put(WALL_TIME, wallTimeSeconds);
    columns.put(STEPS_PER_SECOND, stepsPerSecond);
    columns.putAll(values);
    return columns;
  }
}
