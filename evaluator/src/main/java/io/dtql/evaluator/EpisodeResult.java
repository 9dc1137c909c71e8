package io.dtql.evaluator;

/**
 * One finished episode.
 *
 * @param envIndex the sub-environment that ran it
 * @param seed the seed its environment was reset with, or -1 when the episode continued the
 *     environment's RNG after an earlier episode
 * @param episodeReturn undiscounted sum of rewards
 * @param length steps taken
 * @param terminated true if the MDP terminated; false if it was cut (time limit, instability)
 * @param physicsUnstable true if the simulator reported unstable physics in this episode
 */
public record EpisodeResult(
    int envIndex,
    long seed,
    double episodeReturn,
    int length,
    boolean terminated,
    boolean physicsUnstable) {}
