package io.dtql.cli;

import io.dtql.agent.train.PlainProgressLog;
import io.dtql.agent.train.ProgressReporter;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar for a terminal (me.tongfei progressbar, on stderr so stdout keeps only the
 * command's results). The library draws the bar, the step count, its own speed ({@code showSpeed},
 * averaged since this process started) and the ETA, and cuts the line to the terminal's width; the
 * extra message carries the latest losses. For anything that is not a terminal use {@link
 * PlainProgressLog}: the bar's carriage returns and colours would garble it.
 */
final class ConsoleProgressBar implements ProgressReporter {
  private static final String LOSSES = "losses/";

  private final ProgressBar bar;

  /** A bar for any job, e.g. ("train", "step") or ("collect", "row"). */
  ConsoleProgressBar(String task, String unit, long startStep, long totalSteps) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalSteps)
            .setUnit(" " + unit + "s", 1)
            .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
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
    bar.setExtraMessage(lossMessage(metrics));
  }

  /** Every {@code losses/*} metric, by name without the prefix: "bc 0.1234 critic 1.234". */
  static String lossMessage(Map<String, Double> metrics) {
    StringBuilder message = new StringBuilder();
    new TreeMap<>(metrics)
        .forEach(
            (name, value) -> {
              if (name.startsWith(LOSSES)) {
                message.append(message.isEmpty() ? "" : " ");
                message.append(
                    String.format(Locale.ROOT, "%s %.4g", name.substring(LOSSES.length()), value));
              }
            });
    return message.toString();
  }

  @Override
  public void close() {
    bar.close();
  }
}
