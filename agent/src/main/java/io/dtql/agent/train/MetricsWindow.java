package io.dtql.agent.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * The mean of every metric over the steps since the last logged row. Each key is averaged over the
 * steps that reported it, so a metric that starts mid-window (the actor's losses after pretraining)
 * is the mean of its own values, not diluted by the steps without it.
 *
 * <p>The mean is kept incrementally ({@code m += (x - m) / n}) rather than as sum / count: for a
 * constant such as a learning rate {@code x - m} is exactly 0, so the logged value is bit-for-bit
 * the constant, where a sum of n copies divided by n can differ in the last bit.
 */
final class MetricsWindow {
  private final Map<String, double[]> meanAndCount = new TreeMap<>();

  /** Adds one step's metrics. */
  void add(Map<String, Double> values) {
    values.forEach(
        (name, value) -> {
          double[] entry = meanAndCount.computeIfAbsent(name, k -> new double[2]);
          entry[1] += 1;
          entry[0] += (value - entry[0]) / entry[1];
        });
  }

  /** Each metric's mean over the steps that reported it since the last {@link #clear()}. */
  Map<String, Double> means() {
    Map<String, Double> means = new TreeMap<>();
    meanAndCount.forEach((name, entry) -> means.put(name, entry[0]));
    return means;
  }

  /** Starts a new window. */
  void clear() {
    meanAndCount.clear();
  }
}
