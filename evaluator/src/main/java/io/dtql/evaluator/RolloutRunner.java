package io.dtql.evaluator;

import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs whole episodes of a policy on a remote vector environment and collects their returns.
 *
 * <p>Episodes are spread over the session's sub-environments (env i runs episodes i, i + N, ...),
 * and every step sends the actions of all still-running environments in one batched call. An
 * environment whose episode ended is reset explicitly before its next episode (rather than relying
 * on auto-reset), so a step's reward always belongs to the episode being counted. Its first episode
 * starts from the session's seed for that env, so an evaluation is reproducible from the base seed
 * alone.
 */
public final class RolloutRunner {

  private RolloutRunner() {}

  /**
   * Runs {@code episodes} episodes in total.
   *
   * @param onEpisode called once per finished episode (e.g. to advance a progress bar)
   */
  public static List<EpisodeResult> run(
      VectorEnv env, Policy policy, int episodes, Consumer<EpisodeResult> onEpisode) {
    if (episodes <= 0) {
      throw new IllegalArgumentException("episodes must be > 0, got " + episodes);
    }
    int numEnvs = env.numEnvs();
    int obsDim = env.spec().obsDim();
    int actDim = env.spec().actDim();
    int[] episodesLeft = new int[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      episodesLeft[i] = episodes / numEnvs + (i < episodes % numEnvs ? 1 : 0);
    }
    long[] seeds = env.envSeeds();
    boolean[] firstEpisode = new boolean[numEnvs];
    double[] returns = new double[numEnvs];
    int[] lengths = new int[numEnvs];
    boolean[] unstable = new boolean[numEnvs];
    double[] observations = new double[numEnvs * obsDim];

    List<Integer> active = new ArrayList<>();
    for (int i = 0; i < numEnvs; i++) {
      if (episodesLeft[i] > 0) {
        active.add(i);
        firstEpisode[i] = true;
      }
    }
    env.reset(toArray(active), null).copyObservationsTo(observations);

    List<EpisodeResult> results = new ArrayList<>(episodes);
    while (!active.isEmpty()) {
      int[] ids = toArray(active);
      double[] batch = new double[ids.length * obsDim];
      for (int j = 0; j < ids.length; j++) {
        System.arraycopy(observations, ids[j] * obsDim, batch, j * obsDim, obsDim);
      }
      float[] actions = policy.act(batch, ids.length);
      if (actions.length != ids.length * actDim) {
        throw new IllegalStateException(
            "policy "
                + policy.name()
                + " returned "
                + actions.length
                + " action values for "
                + ids.length
                + " states of action dim "
                + actDim);
      }
      StepResult step = env.step(ids, actions);
      List<Integer> toReset = new ArrayList<>();
      for (int j = 0; j < step.envIds().length; j++) {
        int id = step.envIds()[j];
        System.arraycopy(step.observations(), j * obsDim, observations, id * obsDim, obsDim);
        returns[id] += step.rewards()[j];
        lengths[id]++;
        unstable[id] |= step.status()[j] == EnvStatus.PHYSICS_UNSTABLE;
        if (step.terminated()[j] || step.truncated()[j]) {
          EpisodeResult result =
              new EpisodeResult(
                  id,
                  firstEpisode[id] ? seeds[id] : -1,
                  returns[id],
                  lengths[id],
                  step.terminated()[j],
                  unstable[id]);
          results.add(result);
          onEpisode.accept(result);
          returns[id] = 0;
          lengths[id] = 0;
          unstable[id] = false;
          firstEpisode[id] = false;
          if (--episodesLeft[id] > 0) {
            toReset.add(id);
          } else {
            active.remove(Integer.valueOf(id));
          }
        }
      }
      if (!toReset.isEmpty()) {
        env.reset(toArray(toReset), null).copyObservationsTo(observations);
      }
    }
    return results;
  }

  private static int[] toArray(List<Integer> ids) {
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }
}
