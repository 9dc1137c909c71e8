package io.dtql.evaluator;

import java.util.List;
import java.util.Optional;

/**
 * Statistics of one evaluation: raw returns and, where D4RL has references for the task, normalised
 * scores (mean and standard deviation over episodes).
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
    Optional<Double> meanNormalized,
    Optional<Double> stdNormalized) {

  /** Summarises finished episodes of a task. */
  public static EvaluationSummary of(String taskId, String policyName, List<EpisodeResult> eps) {
    if (eps.isEmpty()) {
      throw new IllegalArgumentException("no episodes to summarise for task " + taskId);
    }
    double[] returns = eps.stream().mapToDouble(EpisodeResult::episodeReturn).toArray();
    double mean = mean(returns);
    double std = std(returns, mean);
    double min = java.util.Arrays.stream(returns).min().orElseThrow();
    double max = java.util.Arrays.stream(returns).max().orElseThrow();
    double meanLength = eps.stream().mapToInt(EpisodeResult::length).average().orElseThrow();
    Optional<Double> meanNorm = D4rlScores.normalize(taskId, mean);
    // Normalisation is affine, so the std of normalised scores is the scaled std of returns.
    Optional<Double> stdNorm =
        D4rlScores.normalize(taskId, std)
            .flatMap(a -> D4rlScores.normalize(taskId, 0.0).map(b -> a - b));
    return new EvaluationSummary(
        taskId, policyName, List.copyOf(eps), mean, std, min, max, meanLength, meanNorm, stdNorm);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double std(double[] values, double mean) {
    double sq = 0;
    for (double v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / values.length);
  }
}
