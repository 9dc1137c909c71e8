package io.dtql.evaluator.collect;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.InfoColumn;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Records a policy's experience on a remote vector environment in D4RL's layout: row i holds the
 * observation before step i, its action and reward, {@code terminals[i]} when the step ended the
 * episode in an MDP terminal state and {@code timeouts[i]} when it was cut (time limit, unstable
 * physics, or the end of the collection). Rows of one episode are contiguous, since D4RL readers
 * take obs[i + 1] as the next state of row i; each environment's episode is buffered and appended
 * whole when it ends. A collection yields exactly the rows asked for: episodes still running at the
 * end are appended with a timeout on their last row and the result is cut to size, so no transition
 * crosses into another episode.
 */
public final class DatasetCollector {
  /** The info column holding log pi(a|s) of each recorded action (D4RL's name). */
  public static final String LOG_PROBS = "action_log_probs";

  private DatasetCollector() {}

  /** Collected rows: the D4RL columns and the float64 info columns by name. */
  public record Rows(D4rlData data, Map<String, InfoColumn> infos) {}

  /**
   * Collects exactly {@code rows} rows.
   *
   * @param onRows called with the number of rows appended, for progress reporting
   */
  public static Rows collect(VectorEnv env, CollectionPolicy policy, int rows, IntConsumer onRows) {
    return collect(env, List.of(new Phase(policy, rows)), onRows);
  }

  /** A policy acting for a number of steps. */
  public record Phase(CollectionPolicy policy, int steps) {}

  /**
   * One continuous collection in which the acting policy changes: phase k's policy acts from the
   * step after the earlier phases' steps, also in the middle of running episodes (as a replay
   * buffer's data came from a policy that changed while episodes ran). Exactly the phases' total
   * rows. Every phase's policy must agree on whether it records log-probabilities.
   */
  public static Rows collect(VectorEnv env, List<Phase> phases, IntConsumer onRows) {
    int rows = phases.stream().mapToInt(Phase::steps).sum();
    if (rows <= 1) {
      throw new IllegalArgumentException("rows must be > 1, got " + rows);
    }
    CollectionPolicy policy = phases.get(0).policy();
    for (Phase phase : phases) {
      if (phase.policy().recordsLogProbs() != policy.recordsLogProbs()) {
        throw new IllegalArgumentException(
            "phases record log-probabilities differently: " + phases);
      }
    }
    int phase = 0;
    long phaseEnds = phases.get(0).steps();
    long stepsTaken = 0;
    int numEnvs = env.numEnvs();
    int obsDim = env.spec().obsDim();
    int actDim = env.spec().actDim();
    // Info columns: log pi(a|s) when the policy has a density, then every info tensor the
    // session reports (e.g. qpos, qvel). infos[t] is the state of observations[t], so each env's
    // current infos come from the reset or step that returned its current observation.
    List<RowBuffer.Extra> extras = new ArrayList<>();
    boolean logs = policy.recordsLogProbs();
    if (logs) {
      extras.add(new RowBuffer.Extra(LOG_PROBS, 1, true));
    }
    List<String> infoKeys = env.infoKeys();
    int[] all = new int[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      all[i] = i;
    }
    double[] observations = new double[numEnvs * obsDim];
    ResetResult first = env.reset(all, null);
    first.copyObservationsTo(observations);
    double[][] current = new double[infoKeys.size()][];
    for (int k = 0; k < infoKeys.size(); k++) {
      String key = infoKeys.get(k);
      int width = first.infoWidth(key);
      extras.add(new RowBuffer.Extra(key, width, false));
      current[k] = new double[numEnvs * width];
      copyRows(first.envIds(), first.infos().get(key), width, current[k]);
    }
    RowBuffer[] running = new RowBuffer[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      running[i] = new RowBuffer(obsDim, actDim, extras, 64);
    }
    RowBuffer dataset = new RowBuffer(obsDim, actDim, extras, rows + numEnvs);
    double[] logProbs = new double[numEnvs];
    double[][] extraRows = new double[extras.size()][];
    int[] extraOffsets = new int[extras.size()];
    int firstInfo = logs ? 1 : 0;
    if (logs) {
      extraRows[0] = logProbs;
    }
    for (int k = 0; k < infoKeys.size(); k++) {
      extraRows[firstInfo + k] = current[k];
    }

    // Episodes end by the session's auto-reset (the default): the step after an env's episode
    // ended resets it and returns the new first observation instead of a transition. That costs
    // one ignored action per episode but saves a Reset round trip per step with an ending.
    while (dataset.size() + bufferedRows(running) < rows) {
      while (stepsTaken >= phaseEnds && phase + 1 < phases.size()) {
        phase++;
        phaseEnds += phases.get(phase).steps();
        policy = phases.get(phase).policy();
      }
      float[] actions = policy.act(observations, all, logProbs);
      stepsTaken += numEnvs;
      StepResult step = env.step(all, actions);
      for (int j = 0; j < numEnvs; j++) {
        int id = step.envIds()[j];
        if (!step.resetHappened()[j]) {
          boolean terminal = step.terminated()[j];
          boolean cut = step.truncated()[j];
          if (logs) {
            extraOffsets[0] = j;
          }
          for (int k = 0; k < infoKeys.size(); k++) {
            extraOffsets[firstInfo + k] = id * extras.get(firstInfo + k).width();
          }
          running[id].add(
              observations,
              id * obsDim,
              actions,
              j * actDim,
              step.rewards()[j],
              terminal,
              cut,
              extraRows,
              extraOffsets);
          if (terminal || cut) {
            onRows.accept(running[id].size());
            dataset.addAll(running[id]);
            running[id].clear();
          }
        }
        System.arraycopy(step.observations(), j * obsDim, observations, id * obsDim, obsDim);
        for (int k = 0; k < infoKeys.size(); k++) {
          int width = extras.get(firstInfo + k).width();
          System.arraycopy(
              step.infos().get(infoKeys.get(k)), j * width, current[k], id * width, width);
        }
      }
    }
    for (RowBuffer episode : running) {
      if (episode.size() > 0) {
        episode.markLastRowTimeout();
        onRows.accept(episode.size());
        dataset.addAll(episode);
      }
    }
    return cut(new Rows(dataset.toD4rlData(), dataset.infos()), rows);
  }

  /** The first {@code rows} rows; the last kept row becomes a timeout unless it is terminal. */
  static Rows cut(Rows all, int rows) {
    D4rlData d = all.data();
    if (d.rows() == rows) {
      return all;
    }
    boolean[] timeouts = Arrays.copyOf(d.timeouts(), rows);
    boolean[] terminals = Arrays.copyOf(d.terminals(), rows);
    if (!terminals[rows - 1]) {
      timeouts[rows - 1] = true;
    }
    D4rlData data =
        new D4rlData(
            d.obsDim(),
            d.actDim(),
            Arrays.copyOf(d.observations(), rows * d.obsDim()),
            Arrays.copyOf(d.actions(), rows * d.actDim()),
            Arrays.copyOf(d.rewards(), rows),
            terminals,
            timeouts);
    Map<String, InfoColumn> infos = new LinkedHashMap<>();
    all.infos()
        .forEach(
            (name, c) ->
                infos.put(
                    name,
                    new InfoColumn(
                        Arrays.copyOf(c.values(), rows * c.width()), c.width(), c.vector())));
    return new Rows(data, infos);
  }

  /**
   * Rows of several collections one after the other; info columns missing from some part (a random
   * segment has log-probs, a DTQL one does not) are refused rather than padded.
   */
  public static Rows concat(List<Rows> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    Rows first = parts.get(0);
    int obsDim = first.data().obsDim();
    int actDim = first.data().actDim();
    int rows = parts.stream().mapToInt(p -> p.data().rows()).sum();
    float[] obs = new float[rows * obsDim];
    float[] act = new float[rows * actDim];
    float[] rew = new float[rows];
    boolean[] term = new boolean[rows];
    boolean[] time = new boolean[rows];
    Map<String, double[]> infoValues = new LinkedHashMap<>();
    first.infos().forEach((k, c) -> infoValues.put(k, new double[rows * c.width()]));
    int at = 0;
    for (Rows p : parts) {
      D4rlData d = p.data();
      if (!p.infos().keySet().equals(first.infos().keySet())) {
        throw new IllegalArgumentException(
            "parts record different infos: "
                + first.infos().keySet()
                + " and "
                + p.infos().keySet());
      }
      int n = d.rows();
      System.arraycopy(d.observations(), 0, obs, at * obsDim, n * obsDim);
      System.arraycopy(d.actions(), 0, act, at * actDim, n * actDim);
      System.arraycopy(d.rewards(), 0, rew, at, n);
      System.arraycopy(d.terminals(), 0, term, at, n);
      System.arraycopy(d.timeouts(), 0, time, at, n);
      for (Map.Entry<String, InfoColumn> e : p.infos().entrySet()) {
        int w = e.getValue().width();
        System.arraycopy(e.getValue().values(), 0, infoValues.get(e.getKey()), at * w, n * w);
      }
      at += n;
    }
    Map<String, InfoColumn> infos = new LinkedHashMap<>();
    first
        .infos()
        .forEach((k, c) -> infos.put(k, new InfoColumn(infoValues.get(k), c.width(), c.vector())));
    return new Rows(new D4rlData(obsDim, actDim, obs, act, rew, term, time), infos);
  }

  /** Row j of {@code rows} (one per env id in {@code envIds}) into row envIds[j] of {@code to}. */
  private static void copyRows(int[] envIds, double[] rows, int width, double[] to) {
    for (int j = 0; j < envIds.length; j++) {
      System.arraycopy(rows, j * width, to, envIds[j] * width, width);
    }
  }

  private static int bufferedRows(RowBuffer[] running) {
    int rows = 0;
    for (RowBuffer episode : running) {
      rows += episode.size();
    }
    return rows;
  }
}
