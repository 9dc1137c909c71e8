package io.dtql.agent.sac;

import io.dtql.agent.dtql.Batch;
import io.dtql.agent.train.SplitMix64;

/**
 * SAC's replay buffer: transitions (s, a, r, s', terminated) in flat float arrays, sampled
 * uniformly. Once full, the oldest row is overwritten. Rows are stored in float32, the precision
 * the networks train in.
 */
public final class ReplayBuffer {
  private final int obsDim;
  private final int actDim;
  private final int capacity;
  private final float[] observations;
  private final float[] actions;
  private final float[] rewards;
  private final float[] nextObservations;
  private final float[] dones;
  private long added;

  public ReplayBuffer(int obsDim, int actDim, int capacity) {
    if (obsDim <= 0 || actDim <= 0) {
      throw new IllegalArgumentException(
          "obs-dim and act-dim must be > 0, got " + obsDim + " and " + actDim);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("replay capacity must be > 0, got " + capacity);
    }
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.capacity = capacity;
    this.observations = new float[Math.multiplyExact(capacity, obsDim)];
    this.actions = new float[Math.multiplyExact(capacity, actDim)];
    this.rewards = new float[capacity];
    this.nextObservations = new float[Math.multiplyExact(capacity, obsDim)];
    this.dones = new float[capacity];
  }

  /**
   * Adds one transition. {@code terminated} is a true MDP termination (the target does not
   * bootstrap); an episode cut by the time limit is not one.
   */
  public void add(
      float[] obs,
      int obsOffset,
      float[] act,
      int actOffset,
      float reward,
      float[] nextObs,
      int nextOffset,
      boolean terminated) {
    int row = (int) (added % capacity);
    System.arraycopy(obs, obsOffset, observations, row * obsDim, obsDim);
    System.arraycopy(act, actOffset, actions, row * actDim, actDim);
    rewards[row] = reward;
    System.arraycopy(nextObs, nextOffset, nextObservations, row * obsDim, obsDim);
    dones[row] = terminated ? 1f : 0f;
    added++;
  }

  /** Transitions added so far (also those since overwritten). */
  public long added() {
    return added;
  }

  /** Rows that can be sampled. */
  public int size() {
    return (int) Math.min(added, capacity);
  }

  public int capacity() {
    return capacity;
  }

  public int obsDim() {
    return obsDim;
  }

  public int actDim() {
    return actDim;
  }

  /** A batch of {@code batchSize} rows drawn uniformly with replacement. */
  public Batch sample(int batchSize, SplitMix64 rng) {
    int n = size();
    if (n == 0) {
      throw new IllegalStateException("cannot sample from an empty replay buffer");
    }
    float[] s = new float[batchSize * obsDim];
    float[] a = new float[batchSize * actDim];
    float[] r = new float[batchSize];
    float[] s2 = new float[batchSize * obsDim];
    float[] d = new float[batchSize];
    for (int i = 0; i < batchSize; i++) {
      int row = rng.nextInt(n);
      System.arraycopy(observations, row * obsDim, s, i * obsDim, obsDim);
      System.arraycopy(actions, row * actDim, a, i * actDim, actDim);
      r[i] = rewards[row];
      System.arraycopy(nextObservations, row * obsDim, s2, i * obsDim, obsDim);
      d[i] = dones[row];
    }
    return new Batch(batchSize, obsDim, actDim, s, a, r, s2, d);
  }
}
