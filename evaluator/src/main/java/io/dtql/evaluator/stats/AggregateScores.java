package io.dtql.evaluator.stats;

import io.dtql.evaluator.EvaluationSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores of several runs (training seeds or checkpoints) summarised as rliable recommends: the
 * interquartile mean of the runs' mean normalised scores with a stratified-bootstrap 95% interval,
 * per task and over all tasks. One lucky or collapsed seed then moves the aggregate less than it
 * moves a mean, and the interval says how much a handful of runs can tell.
 *
 * @param perTask task id to the IQM of that task's run scores
 * @param overall the IQM over every task's runs (each task a stratum), when more than one task
 * @param runs runs per task
 */
public record AggregateScores(Map<String, Interval> perTask, Optional<Interval> overall, int runs) {

  /**
   * Aggregates evaluations of {@code runs} policies on each task; empty when there is only one run
   * or a task has no D4RL-normalised score (IQM over raw returns of different tasks means nothing).
   *
   * @param summaries one summary per (run, task)
   */
  public static Optional<AggregateScores> of(List<EvaluationSummary> summaries) {
    Map<String, List<Double>> byTask = new LinkedHashMap<>();
    for (EvaluationSummary s : summaries) {
      if (s.meanNormalized().isEmpty()) {
        return Optional.empty();
      }
      byTask.computeIfAbsent(s.taskId(), t -> new ArrayList<>()).add(s.meanNormalized().get());
    }
    int runs = byTask.values().stream().mapToInt(List::size).min().orElse(0);
    if (runs < 2) {
      return Optional.empty();
    }
    Map<String, Interval> perTask = new LinkedHashMap<>();
    double[][] strata = new double[byTask.size()][];
    int t = 0;
    for (Map.Entry<String, List<Double>> e : byTask.entrySet()) {
      double[] scores = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      strata[t++] = scores;
      perTask.put(e.getKey(), Bootstrap.iqmInterval(new double[][] {scores}));
    }
    Optional<Interval> overall =
        byTask.size() > 1 ? Optional.of(Bootstrap.iqmInterval(strata)) : Optional.empty();
    return Optional.of(new AggregateScores(perTask, overall, runs));
  }
}
