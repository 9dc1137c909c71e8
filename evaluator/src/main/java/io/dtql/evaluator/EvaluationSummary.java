package io.dtql.evaluator;

import io.dtql.evaluator.stats.Bootstrap;
import io.dtql.evaluator.stats.Interval;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Statistics of one evaluation: raw returns and, where D4RL has references for the task, normalised
 * scores; the mean's 95% bootstrap interval; the episodes in index order; and the server failures
 * the evaluation recovered from (whose episodes were re-run).
 *
 * @param returnInterval mean return with its 95% percentile-bootstrap interval over episodes
 * @param normalizedInterval the same in D4RL-normalised units (normalisation is affine)
 * @param faults one line per server failure during the evaluation; empty when none failed
 */
public record EvaluationSummary(
    String taskId,
    String policyName,
    List<EpisodeResult> episodes,
    double meanReturn,
    double stdReturn,
    double minReturn,
    double maxReturn,
    double meanLength,
    Interval returnInterval,
    Optional<Interval> normalizedInterval,
    Optional<Double> stdNormalized,
    List<String> faults) {

  public EvaluationSummary {
    episodes = List.copyOf(episodes);
    faults = List.copyOf(faults);
  }

  /** Summarises finished episodes of a task. */
  public static EvaluationSummary of(String taskId, String policyName, List<EpisodeResult> eps) {
    return of(taskId, policyName, eps, List.of());
  }

  /** Summarises finished episodes of a task that recovered from {@code faults}. */
  public static EvaluationSummary of(
      String taskId, String policyName, List<EpisodeResult> eps, List<String> faults) {
    if (eps.isEmpty()) {
      throw new IllegalArgumentException("no episodes to summarise for task " + taskId);
    }
    double[] returns = eps.stream().mapToDouble(EpisodeResult::episodeReturn).toArray();
    Interval interval = Bootstrap.meanInterval(returns);
    double mean = interval.estimate();
    double std = std(returns, mean);
    double min = Arrays.stream(returns).min().orElseThrow();
    double max = Arrays.stream(returns).max().orElseThrow();
    double meanLength = eps.stream().mapToInt(EpisodeResult::length).average().orElseThrow();
    // Normalisation is affine: 100 * (r - min) / (max - min) = scale * r + shift.
    Optional<Double> shift = D4rlScores.normalize(taskId, 0.0);
    Optional<Double> scale =
        D4rlScores.normalize(taskId, 1.0).flatMap(n1 -> shift.map(n0 -> n1 - n0));
    Optional<Interval> normalized = scale.map(a -> interval.map(a, shift.orElseThrow()));
    Optional<Double> stdNorm = scale.map(a -> a * std);
    return new EvaluationSummary(
        taskId,
        policyName,
        eps,
        mean,
        std,
        min,
        max,
        meanLength,
        interval,
        normalized,
        stdNorm,
        faults);
  }

  /** The mean D4RL-normalised score, or empty when D4RL has no reference for the task. */
  public Optional<Double> meanNormalized() {
    return normalizedInterval.map(Interval::estimate);
  }

  /** Episodes that ran again because the server running them failed. */
  public List<EpisodeResult> rerunEpisodes() {
    return episodes.stream().filter(EpisodeResult::rerun).toList();
  }

  private static double std(double[] values, double mean) {
    double sq = 0;
    for (double v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / values.length);
  }
}
