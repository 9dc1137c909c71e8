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

  /**
   * Opens the reporter of one job. Library code that runs a long job takes a factory and leaves the
   * choice of display (a terminal bar, plain log lines, nothing) to its caller, so the library
   * needs no terminal code of its own.
   */
  @FunctionalInterface
  interface Factory {
    /**
     * A reporter for {@code task} counting {@code unit}s from {@code startStep} up to {@code
     * totalSteps}, e.g. ("train", "step") or ("collect", "row").
     */
    ProgressReporter open(String task, String unit, long startStep, long totalSteps);

    /** Shows nothing: for tests and embedding. */
    static Factory none() {
      return (task, unit, startStep, totalSteps) -> silent();
    }
  }
}
