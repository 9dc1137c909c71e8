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
    return collect(List.of(env), phases, onRows);
  }

  /**
   * As {@link #collect(VectorEnv, List, IntConsumer)}, with the envs spread over several sessions
   * (for example on several server processes, which then step in parallel): session k holds the
   * next {@code sessions.get(k).numEnvs()} env ids after the sessions before it. The data is the
   * same as from one session holding every env, when each env gets the same seed.
   */
  public static Rows collect(List<VectorEnv> sessions, List<Phase> phases, IntConsumer onRows) {
    int rows = phases.stream().mapToInt(Phase::steps).sum();
    if (rows <= 1) {
      throw new IllegalArgumentException("rows must be > 1, got " + rows);
    }
    for (Phase phase : phases) {
      if (phase.policy().recordsLogProbs() != phases.get(0).policy().recordsLogProbs()) {
        throw new IllegalArgumentException(
            "phases record log-probabilities differently: " + phases);
      }
    }
    List<Lane> lanes = lanes(sessions);
    try {
      return cut(new Recording(sessions, lanes, phases, rows, onRows).run(), rows);
    } finally {
      lanes.forEach(Lane::close);
    }
  }

  /**
   * Some envs of one session, stepped as a group from a thread of their own.
   *
   * @param localIds the envs' ids in their session
   * @param firstEnv the collection-wide id of the session's env 0
   * @param partner the other lane of the same session, or this lane's own index if it has none
   */
  private record Lane(
      VectorEnv env, int[] localIds, int firstEnv, int partner, AsyncStepper stepper) {
    void close() {
      stepper.close();
    }
  }

  /**
   * One lane per session when there are several (they step in parallel while this thread records
   * and acts for each in turn); a single session's envs as two lanes, its halves, so that one half
   * steps on the server while the other half's last step is recorded and its next actions computed.
   * (Halving each of several sessions too measured slower: twice the calls.)
   */
  private static List<Lane> lanes(List<VectorEnv> sessions) {
    List<Lane> lanes = new ArrayList<>();
    if (sessions.size() == 1 && sessions.get(0).numEnvs() > 1) {
      VectorEnv env = sessions.get(0);
      int n = env.numEnvs();
      lanes.add(new Lane(env, range(0, (n + 1) / 2), 0, 1, new AsyncStepper(env)));
      lanes.add(new Lane(env, range((n + 1) / 2, n), 0, 0, new AsyncStepper(env)));
      return lanes;
    }
    int first = 0;
    for (VectorEnv env : sessions) {
      lanes.add(new Lane(env, range(0, env.numEnvs()), first, lanes.size(), new AsyncStepper(env)));
      first += env.numEnvs();
    }
    return lanes;
  }

  /**
   * The state of one collection, which proceeds in rounds: in round r every env takes its r-th
   * step. Within a round the lanes are taken in order: when a lane's step returns, its partner
   * (whose actions are ready) is sent at once, then the lane's step is recorded and its next
   * actions computed while other lanes step on their servers. At most one call is in flight per
   * session.
   *
   * <p>What is recorded does not depend on timing or on how the envs are spread over sessions and
   * lanes: each env's noise comes from its own stream, the phase of round r is set by r, episodes
   * that end in a round are appended in env-id order when the round is complete, and the collection
   * stops at the end of the first round that completes the rows asked for.
   */
  private static final class Recording {
    private final List<VectorEnv> sessions;
    private final List<Lane> lanes;
    private final List<Phase> phases;
    private final int rows;
    private final IntConsumer onRows;
    private final int obsDim;
    private final int actDim;
    private final List<String> infoKeys;
    private final boolean logs;
    private final int firstInfo;
    private final List<RowBuffer.Extra> extras = new ArrayList<>();
    // Per env id: the current observation and infos (the state the env's next action is taken in).
    private final double[] observations;
    private final double[][] current;
    private final RowBuffer[] running;
    private final boolean[] endedThisRound;
    private RowBuffer dataset;
    private int bufferedRows;

    Recording(
        List<VectorEnv> sessions,
        List<Lane> lanes,
        List<Phase> phases,
        int rows,
        IntConsumer onRows) {
      this.sessions = sessions;
      this.lanes = lanes;
      this.phases = phases;
      this.rows = rows;
      this.onRows = onRows;
      VectorEnv first = sessions.get(0);
      this.obsDim = first.spec().obsDim();
      this.actDim = first.spec().actDim();
      this.infoKeys = first.infoKeys();
      this.logs = phases.get(0).policy().recordsLogProbs();
      this.firstInfo = logs ? 1 : 0;
      int numEnvs = sessions.stream().mapToInt(VectorEnv::numEnvs).sum();
      this.observations = new double[numEnvs * obsDim];
      this.current = new double[infoKeys.size()][];
      this.running = new RowBuffer[numEnvs];
      this.endedThisRound = new boolean[numEnvs];
    }

    Rows run() {
      int numEnvs = running.length;
      // Info columns: log pi(a|s) when the policy has a density, then every info tensor the
      // session reports (e.g. qpos, qvel). infos[t] is the state of observations[t], so each env's
      // current infos come from the reset or step that returned its current observation.
      if (logs) {
        extras.add(new RowBuffer.Extra(LOG_PROBS, 1, true));
      }
      int firstEnv = 0;
      for (VectorEnv env : sessions) {
        if (!env.infoKeys().equals(infoKeys)) {
          throw new IllegalArgumentException(
              "sessions report different infos: " + infoKeys + " and " + env.infoKeys());
        }
        ResetResult reset = env.reset(range(0, env.numEnvs()), null);
        double[] obs = new double[env.numEnvs() * obsDim];
        reset.copyObservationsTo(obs);
        System.arraycopy(obs, 0, observations, firstEnv * obsDim, obs.length);
        for (int k = 0; k < infoKeys.size(); k++) {
          String key = infoKeys.get(k);
          int width = reset.infoWidth(key);
          if (firstEnv == 0) {
            extras.add(new RowBuffer.Extra(key, width, false));
            current[k] = new double[numEnvs * width];
          }
          copyRows(reset.envIds(), firstEnv, reset.infos().get(key), width, current[k]);
        }
        firstEnv += env.numEnvs();
      }
      for (int i = 0; i < numEnvs; i++) {
        running[i] = new RowBuffer(obsDim, actDim, extras, 64);
      }
      dataset = new RowBuffer(obsDim, actDim, extras, rows + numEnvs);

      // Episodes end by the session's auto-reset (the default): the step after an env's episode
      // ended resets it and returns the new first observation instead of a transition. That costs
      // one ignored action per episode but saves a Reset round trip per step with an ending.
      int n = lanes.size();
      float[][] actions = new float[n][];
      double[][] logProbs = new double[n][];
      for (int l = 0; l < n; l++) {
        logProbs[l] = new double[lanes.get(l).localIds().length];
        actions[l] = act(lanes.get(l), 0, logProbs[l]);
      }
      send(0, actions[0]);
      for (int l = 1; l < n; l++) {
        if (lanes.get(l).env() != lanes.get(0).env()) {
          send(l, actions[l]); // every session's first lane
        }
      }
      for (long round = 0; ; round++) {
        for (int l = 0; l < n; l++) {
          Lane lane = lanes.get(l);
          StepResult step = lane.stepper().await();
          if (lane.partner() != l) {
            send(lane.partner(), actions[lane.partner()]); // ready: keep its server busy
          }
          record(lane, step, actions[l], logProbs[l]);
          actions[l] = act(lane, round + 1, logProbs[l]);
          if (lane.partner() == l) {
            send(l, actions[l]);
          }
        }
        appendEpisodesThatEnded();
        if (dataset.size() + bufferedRows >= rows) {
          break; // the next round's steps still in flight are dropped when the lanes close
        }
      }
      for (RowBuffer episode : running) {
        if (episode.size() > 0) {
          episode.markLastRowTimeout();
          onRows.accept(episode.size());
          dataset.addAll(episode);
        }
      }
      return new Rows(dataset.toD4rlData(), dataset.infos());
    }

    private void send(int l, float[] actions) {
      lanes.get(l).stepper().submit(lanes.get(l).localIds(), actions);
    }

    /** The actions of a lane's envs for their step in {@code round}, from that round's phase. */
    private float[] act(Lane lane, long round, double[] logProbsOut) {
      long stepsBefore = round * running.length;
      int phase = 0;
      long phaseEnds = phases.get(0).steps();
      while (stepsBefore >= phaseEnds && phase + 1 < phases.size()) {
        phase++;
        phaseEnds += phases.get(phase).steps();
      }
      int[] ids = lane.localIds().clone();
      for (int j = 0; j < ids.length; j++) {
        ids[j] += lane.firstEnv();
      }
      double[] states =
          Arrays.copyOfRange(observations, ids[0] * obsDim, (ids[ids.length - 1] + 1) * obsDim);
      return phases.get(phase).policy().act(states, ids, logProbsOut);
    }

    /** Moves the episodes that ended in this round to the dataset, in env-id order. */
    private void appendEpisodesThatEnded() {
      for (int id = 0; id < running.length; id++) {
        if (endedThisRound[id]) {
          endedThisRound[id] = false;
          onRows.accept(running[id].size());
          bufferedRows -= running[id].size();
          dataset.addAll(running[id]);
          running[id].clear();
        }
      }
    }

    /** Appends the transitions of one step of a lane to its envs' running episodes. */
    private void record(Lane lane, StepResult step, float[] actions, double[] logProbs) {
      double[][] extraRows = new double[extras.size()][];
      int[] extraOffsets = new int[extras.size()];
      if (logs) {
        extraRows[0] = logProbs;
      }
      for (int k = 0; k < infoKeys.size(); k++) {
        extraRows[firstInfo + k] = current[k];
      }
      int[] envIds = step.envIds();
      for (int j = 0; j < envIds.length; j++) {
        int id = lane.firstEnv() + envIds[j];
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
          bufferedRows++;
          endedThisRound[id] = terminal || cut;
        }
        System.arraycopy(step.observations(), j * obsDim, observations, id * obsDim, obsDim);
        for (int k = 0; k < infoKeys.size(); k++) {
          int width = extras.get(firstInfo + k).width();
          System.arraycopy(
              step.infos().get(infoKeys.get(k)), j * width, current[k], id * width, width);
        }
      }
    }
  }

  private static int[] range(int from, int to) {
    int[] ids = new int[to - from];
    Arrays.setAll(ids, i -> from + i);
    return ids;
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

  /** Row j of {@code rows} into row {@code firstEnv + envIds[j]} of {@code to}. */
  private static void copyRows(int[] envIds, int firstEnv, double[] rows, int width, double[] to) {
    for (int j = 0; j < envIds.length; j++) {
      System.arraycopy(rows, j * width, to, (firstEnv + envIds[j]) * width, width);
    }
  }
}
