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
            "%-14s %-18s %8s %20s %10s %10s %24s %8s%n",
            "task",
            "policy",
            "episodes",
            "return mean +- std",
            "min",
            "max",
            "D4RL score [95% CI]",
            "length");
    out.append(header);
    out.append("-".repeat(header.length() - 1)).append('\n');
    for (EvaluationSummary s : summaries) {
      String score =
          s.normalizedInterval()
              .map(
                  ci ->
                      String.format(
                          Locale.ROOT, "%.1f [%.1f, %.1f]", ci.estimate(), ci.low(), ci.high()))
              .orElse("n/a");
      out.append(
          String.format(
              Locale.ROOT,
              "%-14s %-18s %8d %20s %10.1f %10.1f %24s %8.1f%n",
              s.taskId(),
              s.policyName(),
              s.episodes().size(),
              String.format(Locale.ROOT, "%.1f +- %.1f", s.meanReturn(), s.stdReturn()),
              s.minReturn(),
              s.maxReturn(),
              score,
              s.meanLength()));
    }
    for (EvaluationSummary s : summaries) {
      for (String fault : s.faults()) {
        out.append("server failure on ").append(s.taskId()).append(": ").append(fault).append('\n');
      }
      if (!s.rerunEpisodes().isEmpty()) {
        out.append(s.taskId())
            .append(": episodes re-run after a server failure: ")
            .append(s.rerunEpisodes().stream().map(e -> e.index()).toList())
            .append('\n');
      }
    }
    return out.toString();
  }
}
