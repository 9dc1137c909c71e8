package io.dtql.agent.train;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A terminal progress bar (on stderr, so stdout keeps only the command's results) whose extra
 * message carries steps/s and the main losses.
 */
public final class ConsoleProgressBar implements ProgressReporter {
  /** Metrics shown in the bar, with short labels; others stay in metrics.jsonl only. */
  private static final List<Map.Entry<String, String>> SHOWN =
      List.of(
          Map.entry("losses/critic", "critic"),
          Map.entry("losses/bc", "bc"),
          Map.entry("losses/actor", "actor"),
          Map.entry("losses/trust_region", "tr"));

  private final ProgressBar bar;

  public ConsoleProgressBar(long startStep, long totalSteps) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName("train")
            .setInitialMax(totalSteps)
            .startsFrom(startStep, Duration.ZERO)
            .setUpdateIntervalMillis(500)
            .build();
  }

  @Override
  public void stepTo(long step) {
    bar.stepTo(step);
  }

  @Override
  public void summary(double stepsPerSecond, Map<String, Double> metrics) {
    StringBuilder message =
        new StringBuilder(String.format(Locale.ROOT, "%.1f steps/s", stepsPerSecond));
    for (Map.Entry<String, String> shown : SHOWN) {
      Double value = metrics.get(shown.getKey());
      if (value != null) {
        message.append(String.format(Locale.ROOT, " %s %.4g", shown.getValue(), value));
      }
    }
    bar.setExtraMessage(message.toString());
  }

  @Override
  public void close() {
    bar.close();
  }
}
