package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Builders for small datasets with values that reveal their row. */
final class Fixtures {
  private Fixtures() {}

  /**
   * Seven D4RL rows, obs width 2 (row i = {10i, 10i + 1}), action width 1 (i + 0.5), reward 1.5i, a
   * timeout at row 3 and a terminal at row 5.
   */
  static D4rlData sevenRows() {
    int rows = 7;
    float[] obs = new float[rows * 2];
    float[] act = new float[rows];
    float[] rew = new float[rows];
    for (int i = 0; i < rows; i++) {
      obs[2 * i] = 10 * i;
      obs[2 * i + 1] = 10 * i + 1;
      act[i] = i + 0.5f;
      rew[i] = 1.5f * i;
    }
    boolean[] terminals = new boolean[rows];
    boolean[] timeouts = new boolean[rows];
    terminals[5] = true;
    timeouts[3] = true;
    return new D4rlData(2, 1, obs, act, rew, terminals, timeouts);
  }

  /** A D4RL dataset of {@code rows} rows with the given widths, no flags set. */
  static D4rlData rows(int rows, int obsDim, int actDim) {
    float[] obs = new float[rows * obsDim];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = i * 0.25f;
    }
    float[] act = new float[rows * actDim];
    for (int i = 0; i < act.length; i++) {
      act[i] = -i * 0.5f;
    }
    float[] rew = new float[rows];
    for (int i = 0; i < rows; i++) {
      rew[i] = i;
    }
    return new D4rlData(obsDim, actDim, obs, act, rew, new boolean[rows], new boolean[rows]);
  }

  /** A Minari episode: obs width 2 (row t = {base + t, -(base + t)}), action width 1. */
  static MinariEpisode episode(int base, int steps, boolean terminated, boolean truncated) {
    float[] obs = new float[(steps + 1) * 2];
    for (int t = 0; t <= steps; t++) {
      obs[2 * t] = base + t;
      obs[2 * t + 1] = -(base + t);
    }
    float[] act = new float[steps];
    float[] rew = new float[steps];
    for (int t = 0; t < steps; t++) {
      act[t] = base + t + 0.5f;
      rew[t] = base * 100 + t;
    }
    boolean[] terms = new boolean[steps];
    boolean[] truncs = new boolean[steps];
    if (steps > 0) {
      terms[steps - 1] = terminated;
      truncs[steps - 1] = truncated;
    }
    return new MinariEpisode(2, 1, obs, act, rew, terms, truncs);
  }

  /** Writes an arbitrary HDF5 file with jhdf, for layouts the writers refuse to produce. */
  static Path hdf(Path file, Consumer<WritableHdfFile> content) {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      content.accept(hdf);
    }
    return file;
  }

  /** [rows][width] float32 with value r * width + c. */
  static float[][] matrix(int rows, int width) {
    float[][] out = new float[rows][width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        out[r][c] = r * width + c;
      }
    }
    return out;
  }

  /** [n] float32 with value i. */
  static float[] vector(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }
}
