package io.dtql.agent.dtql;

/**
 * One minibatch of transitions, row-major float32: observations and nextObservations are [size *
 * obsDim], actions [size * actDim], rewards and dones [size] (done = 1 where the transition ended
 * in a true MDP termination, so the target does not bootstrap).
 */
public record Batch(
    int size,
    int obsDim,
    int actDim,
    float[] observations,
    float[] actions,
    float[] rewards,
    float[] nextObservations,
    float[] dones) {
  public Batch {
    requireLength("observations", observations, (long) size * obsDim);
    requireLength("actions", actions, (long) size * actDim);
    requireLength("rewards", rewards, size);
    requireLength("next-observations", nextObservations, (long) size * obsDim);
    requireLength("dones", dones, size);
  }

  private static void requireLength(String name, float[] array, long expected) {
    if (array == null || array.length != expected) {
      throw new IllegalArgumentException(
          name
              + " must hold "
              + expected
              + " floats, got "
              + (array == null ? "null" : array.length));
    }
  }
}
