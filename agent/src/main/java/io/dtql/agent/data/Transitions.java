package io.dtql.agent.data;

import java.util.Objects;

/**
 * An immutable table of offline transitions (s, a, r, s', done), whatever file format they came
 * from. Each column is one contiguous row-major float32 array: {@code observations} and {@code
 * nextObservations} hold {@code size * obsDim} floats, {@code actions} {@code size * actDim},
 * {@code rewards} and {@code dones} {@code size}. A done of 1.0f marks a true MDP termination: the
 * learner must not bootstrap from s'. Time-limit cuts are never marked done.
 *
 * <p>Columns are flat rather than {@code float[][]} because a D4RL dataset holds millions of rows:
 * one array per column costs a 16-byte header instead of one per row, keeps rows adjacent for
 * {@link #gather} and gives the garbage collector five objects to trace instead of millions.
 *
 * <p>The column accessors return the backing arrays without copying (a copy of a two-million-row
 * column would cost tens of megabytes per call). Callers must treat them as read-only.
 */
public final class Transitions {
  private static final long ARRAY_HEADER_BYTES = 16;
  private static final long OBJECT_BYTES = 48;

  private final int size;
  private final int obsDim;
  private final int actDim;
  private final float[] observations;
  private final float[] actions;
  private final float[] rewards;
  private final float[] nextObservations;
  private final float[] dones;

  private Transitions(
      int obsDim,
      int actDim,
      float[] observations,
      float[] actions,
      float[] rewards,
      float[] nextObservations,
      float[] dones) {
    if (obsDim <= 0) {
      throw new IllegalArgumentException("obsDim must be > 0, got " + obsDim);
    }
    if (actDim <= 0) {
      throw new IllegalArgumentException("actDim must be > 0, got " + actDim);
    }
    Objects.requireNonNull(rewards, "rewards");
    this.size = rewards.length;
    if (size == 0) {
      throw new IllegalArgumentException("transitions must hold at least one row, got 0");
    }
    requireLength("observations", observations, (long) size * obsDim);
    requireLength("actions", actions, (long) size * actDim);
    requireLength("nextObservations", nextObservations, (long) size * obsDim);
    requireLength("dones", dones, size);
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.observations = observations;
    this.actions = actions;
    this.rewards = rewards;
    this.nextObservations = nextObservations;
    this.dones = dones;
  }

  /**
   * Wraps the given columns without copying them; the caller hands over ownership and must not
   * modify them afterwards. The row count is {@code rewards.length}; all other lengths must match.
   */
  public static Transitions of(
      int obsDim,
      int actDim,
      float[] observations,
      float[] actions,
      float[] rewards,
      float[] nextObservations,
      float[] dones) {
    return new Transitions(obsDim, actDim, observations, actions, rewards, nextObservations, dones);
  }

  private static void requireLength(String name, float[] array, long expected) {
    Objects.requireNonNull(array, name);
    if (array.length != expected) {
      throw new IllegalArgumentException(
          name + " must hold " + expected + " floats, got " + array.length);
    }
  }

  /** Number of transitions. */
  public int size() {
    return size;
  }

  /** Width of one observation. */
  public int obsDim() {
    return obsDim;
  }

  /** Width of one action. */
  public int actDim() {
    return actDim;
  }

  /** Observations s, [size * obsDim]; backing array, do not mutate. */
  public float[] observations() {
    return observations;
  }

  /** Actions a, [size * actDim]; backing array, do not mutate. */
  public float[] actions() {
    return actions;
  }

  /** Rewards r, [size]; backing array, do not mutate. */
  public float[] rewards() {
    return rewards;
  }

  /** Next observations s', [size * obsDim]; backing array, do not mutate. */
  public float[] nextObservations() {
    return nextObservations;
  }

  /** Done flags, [size], 1.0f for a true termination else 0.0f; backing array, do not mutate. */
  public float[] dones() {
    return dones;
  }

  /**
   * Returns transitions whose rewards are {@code r + shift} (AntMaze training uses r - 1 so every
   * step before the goal costs something). Only the reward column is new; the other columns are
   * shared with this object, which is safe because neither may be mutated.
   */
  public Transitions withRewardShift(double shift) {
    if (!Double.isFinite(shift)) {
      throw new IllegalArgumentException("reward shift must be finite, got " + shift);
    }
    float[] shifted = new float[size];
    for (int i = 0; i < size; i++) {
      shifted[i] = (float) (rewards[i] + shift);
    }
    return new Transitions(obsDim, actDim, observations, actions, shifted, nextObservations, dones);
  }

  /**
   * Copies the rows named by {@code indices} into caller-owned batch buffers, row k of the batch
   * from transition {@code indices[k]}. Buffers may be longer than needed (a reused buffer for a
   * larger batch); only the first {@code indices.length} rows are written. Allocates nothing, so a
   * trainer can sample millions of batches without garbage.
   *
   * @throws IndexOutOfBoundsException if an index is outside [0, size)
   * @throws IllegalArgumentException if a buffer is too short
   */
  public void gather(
      int[] indices,
      float[] obsOut,
      float[] actOut,
      float[] rewOut,
      float[] nextObsOut,
      float[] doneOut) {
    int batch = indices.length;
    requireCapacity("obsOut", obsOut, (long) batch * obsDim);
    requireCapacity("actOut", actOut, (long) batch * actDim);
    requireCapacity("rewOut", rewOut, batch);
    requireCapacity("nextObsOut", nextObsOut, (long) batch * obsDim);
    requireCapacity("doneOut", doneOut, batch);
    for (int k = 0; k < batch; k++) {
      int row = indices[k];
      if (row < 0 || row >= size) {
        throw new IndexOutOfBoundsException(
            "indices[" + k + "] = " + row + " is outside [0, " + size + ")");
      }
      System.arraycopy(observations, row * obsDim, obsOut, k * obsDim, obsDim);
      System.arraycopy(actions, row * actDim, actOut, k * actDim, actDim);
      System.arraycopy(nextObservations, row * obsDim, nextObsOut, k * obsDim, obsDim);
      rewOut[k] = rewards[row];
      doneOut[k] = dones[row];
    }
  }

  private static void requireCapacity(String name, float[] buffer, long needed) {
    Objects.requireNonNull(buffer, name);
    if (buffer.length < needed) {
      throw new IllegalArgumentException(
          name + " holds " + buffer.length + " floats, the batch needs " + needed);
    }
  }

  /** Number of transitions whose done flag is set. */
  public int terminalCount() {
    int count = 0;
    for (float done : dones) {
      if (done != 0f) {
        count++;
      }
    }
    return count;
  }

  /**
   * Bytes of float32 payload the transitions represent: {@code size * (2 * obsDim + actDim + 2) *
   * 4}. The yardstick for {@link #heldBytes()}.
   */
  public long rawBytes() {
    return (long) size * (2L * obsDim + actDim + 2) * Float.BYTES;
  }

  /**
   * Bytes of heap this object holds, computed from its array lengths plus array headers and the
   * object itself (a close estimate on a 64-bit JVM with compressed references). Arrays shared with
   * another {@code Transitions} (see {@link #withRewardShift}) are counted in both.
   */
  public long heldBytes() {
    long payload =
        (long) Float.BYTES
            * ((long) observations.length
                + actions.length
                + rewards.length
                + nextObservations.length
                + dones.length);
    return payload + 5 * ARRAY_HEADER_BYTES + OBJECT_BYTES;
  }

  @Override
  public String toString() {
    return "Transitions[size=" + size + ", obsDim=" + obsDim + ", actDim=" + actDim + "]";
  }
}
