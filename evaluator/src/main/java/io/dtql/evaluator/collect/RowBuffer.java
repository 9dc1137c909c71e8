package io.dtql.evaluator.collect;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.InfoColumn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Growable D4RL-layout columns (observations, actions, rewards, terminals, timeouts) plus float64
 * info columns (for example {@code action_log_probs}, {@code qpos}). One holds the running episode
 * of each environment; another the whole dataset, to which finished episodes are appended.
 */
final class RowBuffer {
  /** An info column's name, width and whether it is stored 1-D. */
  record Extra(String name, int width, boolean vector) {}

  private final int obsDim;
  private final int actDim;
  private final List<Extra> extras;
  private float[] observations = new float[0];
  private float[] actions = new float[0];
  private float[] rewards = new float[0];
  private boolean[] terminals = new boolean[0];
  private boolean[] timeouts = new boolean[0];
  private double[][] extraValues;
  private int size;

  RowBuffer(int obsDim, int actDim, List<Extra> extras, int initialCapacity) {
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.extras = List.copyOf(extras);
    this.extraValues = new double[extras.size()][0];
    ensureCapacity(Math.max(16, initialCapacity));
  }

  int size() {
    return size;
  }

  /**
   * Appends one step: the observation it started from, its action, reward, end flags and one row of
   * each info column ({@code extraRows[k]} holds column k's values at {@code extraOffsets[k]}).
   */
  void add(
      double[] obs,
      int obsOffset,
      float[] action,
      int actOffset,
      double reward,
      boolean terminal,
      boolean timeout,
      double[][] extraRows,
      int[] extraOffsets) {
    ensureCapacity(size + 1);
    for (int k = 0; k < obsDim; k++) {
      observations[size * obsDim + k] = (float) obs[obsOffset + k];
    }
    System.arraycopy(action, actOffset, actions, size * actDim, actDim);
    rewards[size] = (float) reward;
    terminals[size] = terminal;
    timeouts[size] = timeout && !terminal;
    for (int e = 0; e < extras.size(); e++) {
      int w = extras.get(e).width();
      System.arraycopy(extraRows[e], extraOffsets[e], extraValues[e], size * w, w);
    }
    size++;
  }

  /** Appends every row of {@code other} (same columns). */
  void addAll(RowBuffer other) {
    int n = other.size;
    ensureCapacity(size + n);
    System.arraycopy(other.observations, 0, observations, size * obsDim, n * obsDim);
    System.arraycopy(other.actions, 0, actions, size * actDim, n * actDim);
    System.arraycopy(other.rewards, 0, rewards, size, n);
    System.arraycopy(other.terminals, 0, terminals, size, n);
    System.arraycopy(other.timeouts, 0, timeouts, size, n);
    for (int e = 0; e < extras.size(); e++) {
      int w = extras.get(e).width();
      System.arraycopy(other.extraValues[e], 0, extraValues[e], size * w, n * w);
    }
    size += n;
  }

  /** Cuts an unfinished episode: its last row must not bootstrap into whatever follows it. */
  void markLastRowTimeout() {
    if (size > 0 && !terminals[size - 1]) {
      timeouts[size - 1] = true;
    }
  }

  void clear() {
    size = 0;
  }

  D4rlData toD4rlData() {
    return new D4rlData(
        obsDim,
        actDim,
        Arrays.copyOf(observations, size * obsDim),
        Arrays.copyOf(actions, size * actDim),
        Arrays.copyOf(rewards, size),
        Arrays.copyOf(terminals, size),
        Arrays.copyOf(timeouts, size));
  }

  /** The info columns, by name. */
  Map<String, InfoColumn> infos() {
    Map<String, InfoColumn> out = new LinkedHashMap<>();
    for (int e = 0; e < extras.size(); e++) {
      Extra x = extras.get(e);
      double[] v = Arrays.copyOf(extraValues[e], size * x.width());
      out.put(x.name(), new InfoColumn(v, x.width(), x.vector()));
    }
    return out;
  }

  private void ensureCapacity(int rows) {
    if (rows <= rewards.length) {
      return;
    }
    int capacity = Math.max(rows, rewards.length * 2);
    observations = Arrays.copyOf(observations, capacity * obsDim);
    actions = Arrays.copyOf(actions, capacity * actDim);
    rewards = Arrays.copyOf(rewards, capacity);
    terminals = Arrays.copyOf(terminals, capacity);
    timeouts = Arrays.copyOf(timeouts, capacity);
    for (int e = 0; e < extras.size(); e++) {
      extraValues[e] = Arrays.copyOf(extraValues[e], capacity * extras.get(e).width());
    }
  }
}
