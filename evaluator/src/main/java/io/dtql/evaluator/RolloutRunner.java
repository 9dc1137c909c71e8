package io.dtql.evaluator;

import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs episodes from a shared queue on one session until the queue has none left for it.
 *
 * <p>Every free sub-environment takes the next waiting episode and is reset with that episode's
 * seed; every step sends the actions of all running environments in one batched call. An
 * environment whose episode ended is reset explicitly (never auto-reset), so a step's reward always
 * belongs to the episode being counted. If a call fails, the episodes this session had started go
 * back to the queue before the failure propagates, so another session can run them.
 */
final class RolloutRunner {
  private final VectorEnv env;
  private final Policy policy;
  private final EpisodeQueue queue;
  private final String simulator;
  private final Consumer<EpisodeResult> onEpisode;
  private final int obsDim;
  private final int actDim;
  private final EpisodeSpec[] running;
  private final RandomGenerator[] streams;
  private final double[] returns;
  private final int[] lengths;
  private final boolean[] unstable;
  private final double[] observations;
  private final boolean reportsGoal;
  private final List<List<Double>> goals;

  /**
   * @param policy shared with other sessions' runners: calls to it are serialised on it
   * @param simulator names the simulator behind {@code env} in results and messages
   */
  RolloutRunner(
      VectorEnv env,
      Policy policy,
      EpisodeQueue queue,
      String simulator,
      Consumer<EpisodeResult> onEpisode) {
    this.env = env;
    this.policy = policy;
    this.queue = queue;
    this.simulator = simulator;
    this.onEpisode = onEpisode;
    int n = env.numEnvs();
    this.obsDim = env.spec().obsDim();
    this.actDim = env.spec().actDim();
    this.running = new EpisodeSpec[n];
    this.streams = new RandomGenerator[n];
    this.returns = new double[n];
    this.lengths = new int[n];
    this.unstable = new boolean[n];
    this.observations = new double[n * obsDim];
    this.reportsGoal = env.infoKeys().contains(EpisodeResult.GOAL_INFO);
    this.goals = new ArrayList<>(Collections.nCopies(n, List.<Double>of()));
  }

  /** Runs until no episode is left for this session, or the evaluation is aborted. */
  void run() throws InterruptedException {
    try {
      while (startWaitingEpisodes()) {
        step();
      }
    } catch (RuntimeException | InterruptedException e) {
      giveBackRunning();
      throw e;
    }
  }

  /** Fills free environments with waiting episodes; false when nothing is left to run. */
  private boolean startWaitingEpisodes() throws InterruptedException {
    if (queue.aborted()) {
      giveBackRunning();
      return false;
    }
    List<Integer> ids = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    for (int id = 0; id < running.length; id++) {
      if (running[id] != null) {
        continue;
      }
      // Wait for work only when this session would otherwise sit idle.
      EpisodeSpec next = ids.isEmpty() && !anyRunning() ? queue.take() : queue.poll();
      if (next == null) {
        break;
      }
      running[id] = next;
      streams[id] = next.policyStream();
      returns[id] = 0;
      lengths[id] = 0;
      unstable[id] = false;
      ids.add(id);
      seeds.add(next.seed());
    }
    if (!ids.isEmpty()) {
      int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
      long[] seedArray = seeds.stream().mapToLong(Long::longValue).toArray();
      ResetResult reset = env.reset(idArray, seedArray);
      reset.copyObservationsTo(observations);
      if (reportsGoal) {
        for (int row = 0; row < idArray.length; row++) {
          double[] goal = reset.info(EpisodeResult.GOAL_INFO, row);
          goals.set(idArray[row], Arrays.stream(goal).boxed().toList());
        }
      }
    }
    return anyRunning();
  }

  private void step() {
    int[] ids = runningIds();
    double[] batch = new double[ids.length * obsDim];
    RandomGenerator[] rowStreams = new RandomGenerator[ids.length];
    for (int j = 0; j < ids.length; j++) {
      System.arraycopy(observations, ids[j] * obsDim, batch, j * obsDim, obsDim);
      rowStreams[j] = streams[ids[j]];
    }
    float[] actions;
    synchronized (policy) {
      actions = policy.act(batch, rowStreams);
    }
    requireValid(actions, ids);
    StepResult step = env.step(ids, actions);
    for (int j = 0; j < step.envIds().length; j++) {
      int id = step.envIds()[j];
      System.arraycopy(step.observations(), j * obsDim, observations, id * obsDim, obsDim);
      returns[id] += step.rewards()[j];
      lengths[id]++;
      unstable[id] |= step.status()[j] == EnvStatus.PHYSICS_UNSTABLE;
      if (step.terminated()[j] || step.truncated()[j]) {
        EpisodeSpec episode = running[id];
        running[id] = null;
        EpisodeResult result =
            new EpisodeResult(
                episode.index(),
                episode.seed(),
                returns[id],
                lengths[id],
                step.terminated()[j],
                unstable[id],
                simulator,
                episode.attempt() > 0,
                goals.get(id));
        queue.finish(result);
        onEpisode.accept(result);
      }
    }
  }

  /** Refuses a policy output of the wrong size or with NaN/infinite values before it is sent. */
  private void requireValid(float[] actions, int[] ids) {
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
    for (int i = 0; i < actions.length; i++) {
      if (!Float.isFinite(actions[i])) {
        EpisodeSpec episode = running[ids[i / actDim]];
        throw new NonFiniteActionException(
            String.format(
                "policy %s returned a non-finite action (%s) in episode %d (seed %d) at step %d",
                policy.name(),
                actions[i],
                episode.index(),
                episode.seed(),
                lengths[ids[i / actDim]]));
      }
    }
  }

  private int[] runningIds() {
    List<Integer> ids = new ArrayList<>();
    for (int id = 0; id < running.length; id++) {
      if (running[id] != null) {
        ids.add(id);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private boolean anyRunning() {
    for (EpisodeSpec episode : running) {
      if (episode != null) {
        return true;
      }
    }
    return false;
  }

  private void giveBackRunning() {
    List<EpisodeSpec> unfinished = new ArrayList<>();
    for (int id = 0; id < running.length; id++) {
      if (running[id] != null) {
        unfinished.add(running[id]);
        running[id] = null;
      }
    }
    if (!unfinished.isEmpty()) {
      queue.giveBack(unfinished);
    }
  }
}
