package io.dtql.agent.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress for output that is not a terminal (a log file, a pipe, CI): a {@link ProgressLine} every
 * {@code interval}, with the speed over that interval, and one more when training ends.
 */
public final class PlainProgressLog implements ProgressReporter {
  private final PrintStream out;
  private final long totalSteps;
  private final long intervalNanos;
  private final String task;
  private final String unit;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private long step;
  private long printedStep;
  private long printedNanos;
  private Map<String, Double> metrics = Map.of();

  public PlainProgressLog(PrintStream out, long startStep, long totalSteps, Duration interval) {
    this(out, "train", "step", startStep, totalSteps, interval, System::nanoTime);
  }

  /** Lines for any job: "{task} {unit} N/M ...". */
  public PlainProgressLog(
      PrintStream out,
      String task,
      String unit,
      long startStep,
      long totalSteps,
      Duration interval) {
    this(out, task, unit, startStep, totalSteps, interval, System::nanoTime);
  }

  PlainProgressLog(
      PrintStream out, long startStep, long totalSteps, Duration interval, LongSupplier nanoTime) {
    this(out, "train", "step", startStep, totalSteps, interval, nanoTime);
  }

  PlainProgressLog(
      PrintStream out,
      String task,
      String unit,
      long startStep,
      long totalSteps,
      Duration interval,
      LongSupplier nanoTime) {
    this.out = out;
    this.task = task;
    this.unit = unit;
    this.totalSteps = totalSteps;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.step = startStep;
    this.printedStep = startStep;
    this.printedNanos = startNanos;
  }

  @Override
  public void stepTo(long step) {
    this.step = step;
  }

  @Override
  public void summary(double stepsPerSecond, Map<String, Double> metrics) {
    this.metrics = Map.copyOf(metrics);
    long now = nanoTime.getAsLong();
    if (now - printedNanos >= intervalNanos) {
      print(now);
    }
  }

  @Override
  public void close() {
    if (step != printedStep) {
      print(nanoTime.getAsLong());
    }
    out.flush();
  }

  private void print(long now) {
    double seconds = Math.max(now - printedNanos, 1) / 1e9;
    out.println(
        ProgressLine.format(
            task,
            unit,
            step,
            totalSteps,
            (step - printedStep) / seconds,
            Duration.ofNanos(now - startNanos),
            metrics));
    out.flush();
    printedStep = step;
    printedNanos = now;
  }
}
