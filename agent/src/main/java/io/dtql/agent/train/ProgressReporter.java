package io.dtql.agent.train;

import java.util.Map;

/** Shows training progress to a person; the loop calls it after every step. */
public interface ProgressReporter extends AutoCloseable {
  /** The step just finished. */
  void stepTo(long step);

  /** Speed and the latest metrics, called at each logging interval. */
  void summary(double stepsPerSecond, Map<String, Double> metrics);

  @Override
  void close();

  /** Shows nothing: for tests and non-interactive runs. */
  static ProgressReporter silent() {
    return new ProgressReporter() {
      @Override
      public void stepTo(long step) {}

      @Override
      public void summary(double stepsPerSecond, Map<String, Double> metrics) {}

      @Override
      public void close() {}
    };
  }
}
