package io.dtql.cli;

import io.dtql.evaluator.D4rlScores;
import io.dtql.evaluator.ScoreThreshold;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What to roll out on, shared by {@code evaluate} and {@code smoke}: tasks, seed and a gate. */
final class RolloutOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--task",
      paramLabel = "ID",
      split = ",",
      description = "Task(s) to roll out on. Default: the checkpoint's preset task, else hopper.")
  List<String> tasks;

  @Option(
      names = "--seed",
      description =
          "Base seed (>= 0): episode i is reset with seed + i and draws the policy's randomness"
              + " from a stream of that seed. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(
      names = "--min-score",
      paramLabel = "S",
      description =
          "Fail (exit 1) unless every task's mean D4RL-normalised score is at least S (for CI).")
  Double minScore;

  /** The tasks given, else the checkpoint's preset task, else hopper; checks the seed too. */
  List<String> taskIds(PolicyOptions policy) {
    Usage.require(seed >= 0, command, "--seed must be >= 0 (simulators take unsigned seeds)");
    return policy.tasksOr(tasks, "hopper");
  }

  /** --min-score as a gate; a usage error for tasks without a D4RL-normalised score. */
  Optional<ScoreThreshold> threshold(List<String> taskIds) {
    if (minScore == null) {
      return Optional.empty();
    }
    Usage.require(Double.isFinite(minScore), command, "--min-score must be a finite number");
    for (String task : taskIds) {
      Usage.require(
          D4rlScores.family(task).isPresent(),
          command,
          "--min-score needs D4RL-normalised scores, which task " + task + " has not");
    }
    return Optional.of(new ScoreThreshold(minScore));
  }
}
