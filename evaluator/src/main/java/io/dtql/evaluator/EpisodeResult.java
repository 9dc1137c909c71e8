package io.dtql.evaluator;

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
 */
public record EpisodeResult(
    int index,
    long seed,
    double episodeReturn,
    int length,
    boolean terminated,
    boolean physicsUnstable,
    String simulator,
    boolean rerun) {}
