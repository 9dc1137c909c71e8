package io.dtql.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pass/fail gate of a CI smoke run: every evaluated task's mean D4RL-normalised score must
 * reach the minimum. One line says why, for a CI log.
 */
public record ScoreThreshold(double minimum) {
  public ScoreThreshold {
    if (!Double.isFinite(minimum)) {
      throw new IllegalArgumentException("minimum score must be finite, got " + minimum);
    }
  }

  /** The verdict on some evaluations. */
  public record Verdict(boolean passed, String line) {}

  public Verdict judge(List<EvaluationSummary> summaries) {
    List<String> parts = new ArrayList<>();
    boolean passed = true;
    for (EvaluationSummary s : summaries) {
      double score =
          s.meanNormalized()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "task " + s.taskId() + " has no D4RL-normalised score to compare"));
      boolean ok = score >= minimum;
      passed &= ok;
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %s %.1f %s %.1f",
              s.taskId(),
              s.policyName(),
              score,
              ok ? ">=" : "<",
              minimum));
    }
    return new Verdict(passed, String.join("; ", parts));
  }
}
