package io.dtql.agent.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small D4RL-layout file of seeded random rows, for tests that train through the command line:
 * Gaussian observations, tanh-squashed Gaussian actions, uniform rewards, and terminals and
 * timeouts every so many rows.
 */
public final class RandomD4rlFile {
  private RandomD4rlFile() {}

  /**
   * Writes {@code rows} rows of widths {@code obsDim} and {@code actDim} to {@code file}.
   *
   * @param terminalEvery row r is terminal when {@code r % terminalEvery == terminalEvery - 1}
   * @param timeoutEvery row r is a timeout when {@code r % timeoutEvery == timeoutEvery - 1}
   */
  public static Path write(
      Path file, int rows, int obsDim, int actDim, long seed, int terminalEvery, int timeoutEvery)
      throws IOException {
    Random random = new Random(seed);
    float[] obs = new float[rows * obsDim];
    float[] act = new float[rows * actDim];
    float[] rew = new float[rows];
    boolean[] terminals = new boolean[rows];
    boolean[] timeouts = new boolean[rows];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < act.length; i++) {
      act[i] = (float) Math.tanh(random.nextGaussian());
    }
    for (int r = 0; r < rows; r++) {
      rew[r] = (float) random.nextDouble();
      terminals[r] = r % terminalEvery == terminalEvery - 1;
      timeouts[r] = r % timeoutEvery == timeoutEvery - 1;
    }
    D4rlDatasetWriter.write(
        file,
        new D4rlData(obsDim, actDim, obs, act, rew, terminals, timeouts),
        D4rlWriteOptions.defaults());
    return file;
  }
}
