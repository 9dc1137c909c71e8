package io.dtql.evaluator.collect;

import io.dtql.agent.data.D4rlData;
import java.util.Arrays;

/**
 * Growable D4RL-layout columns (observations, actions, rewards, terminals, timeouts). One holds the
 * running episode of each environment; another the whole dataset, to which finished episodes are
 * appended.
 */
final class RowBuffer {
  private final int obsDim;
  private final int actDim;
  private float[] observations = new float[0];
  private float[] actions = new float[0];
  private float[] rewards = new float[0];
  private boolean[] terminals = new boolean[0];
  private boolean[] timeouts = new boolean[0];
  private int size;

  RowBuffer(int obsDim, int actDim, int initialCapacity) {
    this.obsDim = obsDim;
    this.actDim = actDim;
    ensureCapacity(Math.max(16, initialCapacity));
  }

  int size() {
    return size;
  }

  /** Appends one step: the observation it started from, its action, reward and end flags. */
  void add(
      double[] obs,
      int obsOffset,
      float[] action,
      int actOffset,
      double reward,
      boolean terminal,
      boolean timeout) {
    ensureCapacity(size + 1);
    for (int k = 0; k < obsDim; k++) {
      observations[size * obsDim + k] = (float) obs[obsOffset + k];
    }
    System.arraycopy(action, actOffset, actions, size * actDim, actDim);
    rewards[size] = (float) reward;
    terminals[size] = terminal;
    timeouts[size] = timeout && !terminal;
    size++;
  }

  /** Appends every row of {@code other}. */
  void addAll(RowBuffer other) {
    int n = other.size;
    ensureCapacity(size + n);
    System.arraycopy(other.observations, 0, observations, size * obsDim, n * obsDim);
    System.arraycopy(other.actions, 0, actions, size * actDim, n * actDim);
    System.arraycopy(other.rewards, 0, rewards, size, n);
    System.arraycopy(other.terminals, 0, terminals, size, n);
    System.arraycopy(other.timeouts, 0, timeouts, size, n);
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
  }
}
