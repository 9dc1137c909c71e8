package io.dtql.cli;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.report.ReturnsPlot;
import io.dtql.evaluator.report.SummaryJson;
import io.dtql.evaluator.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Evaluates one policy on several tasks with a progress bar, then reports. */
final class EvaluationRun {
  private EvaluationRun() {}

  static List<EvaluationSummary> evaluateAll(
      EnvClient client,
      List<String> tasks,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options) {
    List<EvaluationSummary> summaries = new ArrayList<>();
    for (String task : tasks) {
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(options.episodes())
              .setUnit(" episodes", 1)
              .setStyle(ProgressBarStyle.ASCII)
              .continuousUpdate()
              .build()) {
        summaries.add(
            Evaluator.evaluate(
                client,
                task,
                policyFor,
                options,
                episode -> {
                  bar.step();
                  bar.setExtraMessage(String.format(" last return %.1f", episode.episodeReturn()));
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
