package io.dtql.evaluator;

import io.dtql.agent.dtql.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One episode of an evaluation, fixed before any rollout: episode {@code index} resets its
 * environment with {@code seed} (the evaluation's base seed + index) and draws every random choice
 * of the policy from a stream of that seed alone. An episode therefore plays out the same whichever
 * environment, session or server runs it and whichever episodes share its batches, and any single
 * episode can be replayed with {@code --seed SEED --episodes 1}.
 *
 * @param attempt 0 for the first run, 1 for a re-run after the server that ran it failed, ...
 */
public record EpisodeSpec(int index, long seed, int attempt) {
  /** Salt of the policy's per-episode stream, so it never equals a stream made from the seed. */
  private static final long POLICY_STREAM = 0x6A09E667F3BCC909L;

  public EpisodeSpec {
    if (index < 0 || seed < 0 || attempt < 0) {
      throw new IllegalArgumentException(
          "episode index, seed and attempt must be >= 0, got "
              + index
              + ", "
              + seed
              + ", "
              + attempt);
    }
  }

  /** Episodes 0..count-1 of an evaluation with base seed {@code baseSeed}. */
  public static List<EpisodeSpec> plan(long baseSeed, int count) {
    if (baseSeed < 0) {
      throw new IllegalArgumentException("seed must be >= 0 (simulators take unsigned seeds)");
    }
    List<EpisodeSpec> episodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      episodes.add(new EpisodeSpec(i, Math.addExact(baseSeed, i), 0));
    }
    return episodes;
  }

  /** The same episode, to run again elsewhere. */
  public EpisodeSpec retry() {
    return new EpisodeSpec(index, seed, attempt + 1);
  }

  /** A fresh copy of the stream the policy draws from in this episode. */
  public RandomGenerator policyStream() {
    return new SplittableRandom(RandomStreams.mix(seed ^ POLICY_STREAM, 0));
  }
}
