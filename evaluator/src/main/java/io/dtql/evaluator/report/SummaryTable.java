package io.dtql.evaluator.report;

import io.dtql.evaluator.EvaluationSummary;
import java.util.List;
import java.util.Locale;

/** Renders evaluation summaries as a fixed-width text table for the terminal. */
public final class SummaryTable {
  private SummaryTable() {}

  public static String render(List<EvaluationSummary> summaries) {
    StringBuilder out = new StringBuilder();
    String header =
        String.format(
            Locale.ROOT,
            "%-14s %-18s %8s %20s %10s %10s %18s %8s%n",
            "task",
            "policy",
            "episodes",
            "return mean +- std",
            "min",
            "max",
            "D4RL score",
            "length");
    out.append(header);
    out.append("-".repeat(header.length() - 1)).append('\n');
    for (EvaluationSummary s : summaries) {
      String score =
          s.meanNormalized()
              .map(
                  m ->
                      String.format(
                          Locale.ROOT, "%.1f +- %.1f", m, s.stdNormalized().orElse(Double.NaN)))
              .orElse("n/a");
      out.append(
          String.format(
              Locale.ROOT,
              "%-14s %-18s %8d %20s %10.1f %10.1f %18s %8.1f%n",
              s.taskId(),
              s.policyName(),
              s.episodes().size(),
              String.format(Locale.ROOT, "%.1f +- %.1f", s.meanReturn(), s.stdReturn()),
              s.minReturn(),
              s.maxReturn(),
              score,
              s.meanLength()));
    }
    return out.toString();
  }
}
