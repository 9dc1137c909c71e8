package io.dtql.agent.train;

import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.Batch;

/**
 * Draws minibatches uniformly with replacement from a transition table, as the reference code does.
 * Its only state is the generator's, which checkpoints save and restore.
 */
public final class BatchSampler {
  private final Transitions transitions;
  private final int batchSize;
  private final SplitMix64 random;

  public BatchSampler(Transitions transitions, int batchSize, SplitMix64 random) {
    if (transitions.size() == 0) {
      throw new IllegalArgumentException("cannot sample batches from an empty transition table");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch-size must be > 0, got " + batchSize);
    }
    this.transitions = transitions;
    this.batchSize = batchSize;
    this.random = random;
  }

  /** A fresh batch; its arrays belong to the caller. */
  public Batch next() {
    int obsDim = transitions.obsDim();
    int actDim = transitions.actDim();
    int[] rows = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      rows[i] = random.nextInt(transitions.size());
    }
    float[] observations = new float[batchSize * obsDim];
    float[] actions = new float[batchSize * actDim];
    float[] rewards = new float[batchSize];
    float[] nextObservations = new float[batchSize * obsDim];
    float[] dones = new float[batchSize];
    transitions.gather(rows, observations, actions, rewards, nextObservations, dones);
    return new Batch(
        batchSize, obsDim, actDim, observations, actions, rewards, nextObservations, dones);
  }

  /** The generator state to store in a checkpoint. */
  public long randomState() {
    return random.state();
  }
}
