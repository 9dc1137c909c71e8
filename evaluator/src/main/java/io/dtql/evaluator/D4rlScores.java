package io.dtql.evaluator;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * D4RL's score normalisation: {@code 100 * (return - refMin) / (refMax - refMin)}, with the
 * reference returns of d4rl/infos.py (random policy = 0, expert = 100). AntMaze's references are 0
 * and 1, so its normalised score is 100 x the success rate.
 */
public final class D4rlScores {
  /** Reference (min, max) returns per environment family. */
  private static final Map<String, double[]> REFERENCES =
      Map.of(
          "hopper", new double[] {-20.272305, 3234.3},
          "halfcheetah", new double[] {-280.178953, 12135.0},
          "walker2d", new double[] {1.629008, 4592.3},
          "ant", new double[] {-325.6, 3879.7},
          "antmaze", new double[] {0.0, 1.0});

  /** Gym's ant (ant, Ant-v4) and D4RL's ant datasets (ant-medium-v2, ...); not other ant tasks. */
  private static final Pattern D4RL_ANT =
      Pattern.compile(
          "ant([-_]v\\d+)?|ant-(random|medium|expert|medium-replay|medium-expert|full-replay)"
              + "(-v\\d+)?");

  private D4rlScores() {}

  /**
   * The family of a task or dataset id, e.g. {@code hopper} for {@code hopper}, {@code
   * hopper-medium-v2} or {@code Hopper-v4}; empty when D4RL has no reference for it.
   */
  public static Optional<String> family(String taskId) {
    String id = taskId.toLowerCase(Locale.ROOT);
    if (id.startsWith("antmaze")) {
      return Optional.of("antmaze");
    }
    if (id.startsWith("ant") && !D4RL_ANT.matcher(id).matches()) {
      return Optional.empty(); // e.g. ant-goal, the maze controller's task: no D4RL reference
    }
    for (String family : new String[] {"hopper", "halfcheetah", "walker2d", "ant"}) {
      if (id.equals(family) || id.startsWith(family + "-") || id.startsWith(family + "_")) {
        return Optional.of(family);
      }
    }
    return Optional.empty();
  }

  /** The normalised score of a return, or empty when the task has no D4RL reference. */
  public static Optional<Double> normalize(String taskId, double episodeReturn) {
    return family(taskId)
        .map(REFERENCES::get)
        .map(ref -> 100.0 * (episodeReturn - ref[0]) / (ref[1] - ref[0]));
  }
}
