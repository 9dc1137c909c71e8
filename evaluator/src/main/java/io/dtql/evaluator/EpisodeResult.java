package io.dtql.evaluator;

import java.util.List;

/**
 * One finished episode.
 *
 * @param index the episode's number in its evaluation (0-based)
 * @param seed the seed its environment was reset with (replays the episode)
 * @param episodeReturn undiscounted sum of rewards
 * @param length steps taken
 * @param terminated true if the MDP terminated; false if it was cut (time limit, instability)
 * @param physicsUnstable true if the simulator reported unstable physics in this episode
 * @param simulator the simulator that ran it (a local server or HOST:PORT)
 * @param rerun true when an earlier run of the episode was lost with its server and this is the
 *     repeat
 * @param goal the episode's goal as the simulator reported it at reset (the {@value #GOAL_INFO}
 *     info tensor, e.g. an antmaze goal's x and y); empty for tasks without one
 */
public record EpisodeResult(
    int index,
    long seed,
    double episodeReturn,
    int length,
    boolean terminated,
    boolean physicsUnstable,
    String simulator,
    boolean rerun,
    List<Double> goal) {
  /** The info tensor a goal-conditioned task reports its episode's goal in. */
  public static final String GOAL_INFO = "goal";

  public EpisodeResult {
    goal = List.copyOf(goal);
  }

  /** An episode of a task without a goal. */
  public EpisodeResult(
      int index,
      long seed,
      double episodeReturn,
      int length,
      boolean terminated,
      boolean physicsUnstable,
      String simulator,
      boolean rerun) {
    this(
        index,
        seed,
        episodeReturn,
        length,
        terminated,
        physicsUnstable,
        simulator,
        rerun,
        List.of());
  }
}
