package io.dtql.agent.train;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One plain progress line, for output that is not a terminal: no carriage returns, no colours, no
 * width limit, every metric. For example:
 *
 * <pre>
 * train step 1200/60000 (2.0%) 25.3 steps/s elapsed 0:00:47 eta 0:38:45 | losses/bc=0.4567 ...
 * </pre>
 */
public final class ProgressLine {
  private ProgressLine() {}

  /**
   * The line for {@code step} of {@code total}, at {@code stepsPerSecond} (0 or less: no ETA),
   * after {@code elapsed} in this process, with every metric sorted by name.
   */
  public static String format(
      long step, long total, double stepsPerSecond, Duration elapsed, Map<String, Double> metrics) {
    return format("train", "step", step, total, stepsPerSecond, elapsed, metrics);
  }

  /** As above for any job: "{task} {unit} 1200/60000 (2.0%) 25.3 {unit}s/s ...". */
  public static String format(
      String task,
      String unit,
      long step,
      long total,
      double stepsPerSecond,
      Duration elapsed,
      Map<String, Double> metrics) {
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            Locale.ROOT,
            "%s %s %d/%d (%.1f%%) %.1f %ss/s elapsed %s eta %s",
            task,
            unit,
            step,
            total,
            total > 0 ? 100.0 * step / total : 0.0,
            stepsPerSecond,
            unit,
            clock(elapsed),
            stepsPerSecond > 0 && step <= total
                ? clock(Duration.ofMillis(Math.round((total - step) / stepsPerSecond * 1000)))
                : "?"));
    if (!metrics.isEmpty()) {
      line.append(" |");
      new TreeMap<>(metrics)
          .forEach(
              (name, value) -> line.append(String.format(Locale.ROOT, " %s=%.4g", name, value)));
    }
    return line.toString();
  }

  /** h:mm:ss, hours unbounded. */
  private static String clock(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    return String.format(
        Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
