package io.dtql.agent.train;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run reports progress.
 *
 * @param style bar, plain lines or nothing ({@link ProgressStyle#AUTO} decides by whether the JVM
 *     has a console, i.e. {@code System.console() != null})
 * @param lineInterval time between two plain lines
 */
public record ProgressOptions(ProgressStyle style, Duration lineInterval) {
  public static final Duration DEFAULT_LINE_INTERVAL = Duration.ofSeconds(10);

  public ProgressOptions {
    Objects.requireNonNull(style, "style");
    if (lineInterval.isNegative() || lineInterval.isZero()) {
      throw new IllegalArgumentException("progress-every must be > 0 seconds, got " + lineInterval);
    }
  }

  /** No progress output (for tests and embedding). */
  public static ProgressOptions none() {
    return new ProgressOptions(ProgressStyle.NONE, DEFAULT_LINE_INTERVAL);
  }

  /** Opens the reporter for a loop going from {@code startStep} to {@code totalSteps}. */
  public ProgressReporter open(long startStep, long totalSteps) {
    return open("train", "step", startStep, totalSteps);
  }

  /** The reporter for any job counting {@code unit}s, e.g. ("collect", "row"). */
  public ProgressReporter open(String task, String unit, long startStep, long totalSteps) {
    return switch (style.resolve(System.console() != null)) {
      case BAR -> new ConsoleProgressBar(task, unit, startStep, totalSteps);
      case LINES ->
          new PlainProgressLog(System.err, task, unit, startStep, totalSteps, lineInterval);
      case NONE, AUTO -> ProgressReporter.silent();
    };
  }
}
