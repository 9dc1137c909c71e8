package io.dtql.agent.train;

import io.dtql.agent.data.Transitions;

/** Small transition tables whose every value identifies its row, for sampler and loop tests. */
public final class TinyData {
  private TinyData() {}

  /** Row r holds observation values r*100 + j, action r + 0.5, reward r, done r % 7 == 0. */
  public static Transitions transitions(int rows, int obsDim, int actDim) {
    float[] obs = new float[rows * obsDim];
    float[] next = new float[rows * obsDim];
    float[] act = new float[rows * actDim];
    float[] rew = new float[rows];
    float[] done = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < obsDim; j++) {
        obs[r * obsDim + j] = r * 100 + j;
        next[r * obsDim + j] = (r + 1) * 100 + j;
      }
      for (int j = 0; j < actDim; j++) {
        act[r * actDim + j] = r + 0.5f;
      }
      rew[r] = r;
      done[r] = r % 7 == 0 ? 1 : 0;
    }
    return Transitions.of(obsDim, actDim, obs, act, rew, next, done);
  }
}
