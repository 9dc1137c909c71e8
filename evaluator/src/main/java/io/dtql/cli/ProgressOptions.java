package io.dtql.cli;

import io.dtql.agent.train.PlainProgressLog;
import io.dtql.agent.train.ProgressReporter;
import java.time.Duration;
import java.util.Objects;

/**
 * How a command shows progress, as the flags chose it; opens the matching reporter for the library
 * code that runs the job.
 *
 * @param style bar, plain lines or nothing ({@link ProgressStyle#AUTO} decides by whether the JVM
 *     has a console, i.e. {@code System.console() != null})
 * @param lineInterval time between two plain lines
 */
record ProgressOptions(ProgressStyle style, Duration lineInterval)
    implements ProgressReporter.Factory {
  static final Duration DEFAULT_LINE_INTERVAL = Duration.ofSeconds(10);

  ProgressOptions {
    Objects.requireNonNull(style, "style");
    if (lineInterval.isNegative() || lineInterval.isZero()) {
      throw new IllegalArgumentException("progress-every must be > 0 seconds, got " + lineInterval);
    }
  }

  /** The reporter for a job counting {@code unit}s, e.g. ("collect", "row"), on stderr. */
  @Override
  public ProgressReporter open(String task, String unit, long startStep, long totalSteps) {
    return switch (style.resolve(System.console() != null)) {
      case BAR -> new ConsoleProgressBar(task, unit, startStep, totalSteps);
      case LINES ->
          new PlainProgressLog(System.err, task, unit, startStep, totalSteps, lineInterval);
      case NONE, AUTO -> ProgressReporter.silent();
    };
  }
}
