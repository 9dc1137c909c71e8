package io.dtql.evaluator.report;

import io.dtql.agent.io.AtomicFiles;
import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.stats.AggregateScores;
import io.dtql.evaluator.stats.Interval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An evaluation as a Markdown report: scores with their intervals, the aggregate over runs, the
 * returns plot, every episode (index, seed, return, length, where it ran, whether it was re-run,
 * its goal on goal-reaching tasks), and what produced it.
 */
public final class EvaluationMarkdown {
  private EvaluationMarkdown() {}

  /**
   * @param plotName the returns plot's file name, relative to the report (written beside it)
   * @param provenance what produced the evaluation, in display order
   */
  public static String render(
      List<EvaluationSummary> summaries,
      Optional<AggregateScores> aggregate,
      String plotName,
      Provenance provenance) {
    StringBuilder md = new StringBuilder("# Evaluation report\n\n");
    md.append("| task | policy | episodes | return mean ± std | 95% CI | D4RL score | 95% CI |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (EvaluationSummary s : summaries) {
      Interval r = s.returnInterval();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f ± %.1f | %.1f – %.1f | %s | %s |%n",
              s.taskId(),
              s.policyName(),
              s.episodes().size(),
              s.meanReturn(),
              s.stdReturn(),
              r.low(),
              r.high(),
              s.meanNormalized().map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("n/a"),
              s.normalizedInterval()
                  .map(ci -> String.format(Locale.ROOT, "%.1f – %.1f", ci.low(), ci.high()))
                  .orElse("n/a")));
    }
    md.append(
        "\nIntervals are 95% percentile-bootstrap intervals of the mean over episodes (10,000"
            + " resamples).\n");
    aggregate.ifPresent(a -> appendAggregate(md, a));
    md.append("\n## Returns\n\n![returns per episode](").append(plotName).append(")\n");
    appendFaults(md, summaries);
    md.append("\n## Episodes\n\n");
    boolean goals =
        summaries.stream().flatMap(s -> s.episodes().stream()).anyMatch(e -> !e.goal().isEmpty());
    md.append("| task | policy | episode | seed | return | length | end | simulator |")
        .append(goals ? " goal |\n" : "\n");
    md.append("|---|---|---:|---:|---:|---:|---|---|").append(goals ? "---|\n" : "\n");
    for (EvaluationSummary s : summaries) {
      for (EpisodeResult e : s.episodes()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %.1f | %d | %s | %s%s |",
                s.taskId(),
                s.policyName(),
                e.index(),
                e.seed(),
                e.episodeReturn(),
                e.length(),
                e.terminated() ? "terminated" : "time limit",
                e.simulator(),
                e.rerun() ? " (re-run)" : ""));
        if (goals) {
          md.append(' ').append(goalText(e.goal())).append(" |");
        }
        md.append('\n');
      }
    }
    md.append("\nReplay one episode: `dtql evaluate ... --seed SEED --episodes 1`.\n");
    md.append("\n## Provenance\n\n").append(provenance.toMarkdown());
    return md.toString();
  }

  /** A goal as "(x, y)" to 3 decimals; a dash for an episode without one. */
  static String goalText(List<Double> goal) {
    if (goal.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < goal.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", goal.get(i)));
    }
    return sb.append(')').toString();
  }

  private static void appendAggregate(StringBuilder md, AggregateScores a) {
    md.append("\n## Aggregate over ").append(a.runs()).append(" runs\n\n");
    md.append(
        "Interquartile mean (IQM) of the runs' mean D4RL scores, with a stratified-bootstrap 95%"
            + " interval (as rliable recommends).\n\n| task | IQM | 95% CI |\n|---|---:|---:|\n");
    a.perTask().forEach((task, ci) -> md.append(row(task, ci)));
    a.overall().ifPresent(ci -> md.append(row("all tasks", ci)));
  }

  private static String row(String label, Interval ci) {
    return String.format(
        Locale.ROOT, "| %s | %.1f | %.1f – %.1f |%n", label, ci.estimate(), ci.low(), ci.high());
  }

  private static void appendFaults(StringBuilder md, List<EvaluationSummary> summaries) {
    boolean any = summaries.stream().anyMatch(s -> !s.faults().isEmpty());
    if (!any) {
      return;
    }
    md.append("\n## Server failures\n\n");
    for (EvaluationSummary s : summaries) {
      for (String fault : s.faults()) {
        md.append("- ").append(s.taskId()).append(": ").append(fault).append('\n');
      }
      if (!s.rerunEpisodes().isEmpty()) {
        md.append("- ")
            .append(s.taskId())
            .append(": episodes re-run elsewhere: ")
            .append(s.rerunEpisodes().stream().map(EpisodeResult::index).toList())
            .append('\n');
      }
    }
  }

  /** Writes report.md, returns.png and summary.json into {@code dir}; returns the report path. */
  public static Path write(
      Path dir,
      List<EvaluationSummary> summaries,
      Optional<AggregateScores> aggregate,
      Provenance provenance)
      throws IOException {
    Files.createDirectories(dir);
    ReturnsPlot.write(summaries, dir.resolve("returns.png"));
    SummaryJson.write(summaries, dir.resolve("summary.json"));
    Path report = dir.resolve("report.md");
    String markdown = render(summaries, aggregate, "returns.png", provenance);
    AtomicFiles.write(report, markdown.getBytes(StandardCharsets.UTF_8));
    return report;
  }
}
