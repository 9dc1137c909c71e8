package io.dtql.cli;

import io.dtql.agent.train.ProgressReporter;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.report.ReturnsPlot;
import io.dtql.evaluator.report.SummaryJson;
import io.dtql.evaluator.report.SummaryTable;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Evaluates one policy on several tasks with progress on stderr, then reports. */
final class EvaluationRun {
  private EvaluationRun() {}

  /** On one client the caller owns. */
  static List<EvaluationSummary> evaluateAll(
      EnvClient client,
      List<String> tasks,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options) {
    return evaluateAll(
        List.of(SimulatorEndpoint.fixed("simulator", client)), tasks, policyFor, options);
  }

  static List<EvaluationSummary> evaluateAll(
      List<? extends SimulatorEndpoint> endpoints,
      List<String> tasks,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options) {
    List<EvaluationSummary> summaries = new ArrayList<>();
    for (String task : tasks) {
      // A bar in a terminal, plain lines in a log (ProgressStyle.AUTO).
      try (ProgressReporter progress =
          new ProgressOptions(ProgressStyle.AUTO, ProgressOptions.DEFAULT_LINE_INTERVAL)
              .open(task, "episode", 0, options.episodes())) {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        summaries.add(
            Evaluator.evaluate(
                endpoints,
                task,
                policyFor,
                options,
                episode -> {
                  progress.stepTo(done.incrementAndGet());
                  double seconds = Math.max(System.nanoTime() - start, 1) / 1e9;
                  progress.summary(
                      done.get() / seconds, Map.of("last_return", episode.episodeReturn()));
                }));
      }
    }
    return summaries;
  }

  /** Prints the table to {@code out} and writes the optional plot and JSON files. */
  static void report(List<EvaluationSummary> summaries, PrintWriter out, Path plot, Path json) {
    out.print(SummaryTable.render(summaries));
    try {
      if (plot != null) {
        ReturnsPlot.write(summaries, plot);
        out.println("plot: " + plot);
      }
      if (json != null) {
        SummaryJson.write(summaries, json);
        out.println("json: " + json);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the report: " + e.getMessage(), e);
    }
    out.flush();
  }
}
