package io.dtql.evaluator;

/**
 * Maps a batch of observations to a batch of actions. Implementations are called with every
 * still-running environment's observation at once, so a neural policy can act on all of them in one
 * forward pass.
 */
public interface Policy extends AutoCloseable {
  /**
   * @param observations row-major [numStates * obsDim]
   * @param numStates rows in {@code observations}
   * @return row-major [numStates * actDim] actions
   */
  float[] act(double[] observations, int numStates);

  /** A short name for reports, e.g. {@code random} or {@code dtql(step 1000000)}. */
  String name();

  /** Releases what the policy holds (native memory of a network); a no-op by default. */
  @Override
  default void close() {}
}
