package io.dtql.agent.data;

/** Copies selected rows of flat row-major arrays, one {@code System.arraycopy} per run of rows. */
final class RowCopy {
  private RowCopy() {}

  /**
   * Returns rows {@code kept[k] + shift} of {@code source} (row width {@code width}), in order.
   * {@code kept} must be ascending; consecutive rows are copied as one block, so a file with few
   * timeouts costs a handful of bulk copies rather than one call per row.
   */
  static float[] rows(float[] source, int width, int[] kept, int shift) {
    float[] out = new float[kept.length * width];
    int k = 0;
    while (k < kept.length) {
      int runStart = k;
      while (k + 1 < kept.length && kept[k + 1] == kept[k] + 1) {
        k++;
      }
      int runRows = k - runStart + 1;
      System.arraycopy(
          source, (kept[runStart] + shift) * width, out, runStart * width, runRows * width);
      k++;
    }
    return out;
  }

  /** 1.0f where {@code flags[kept[k]]} is set, else 0.0f. */
  static float[] flagsAsFloats(boolean[] flags, int[] kept) {
    float[] out = new float[kept.length];
    for (int k = 0; k < kept.length; k++) {
      out[k] = flags[kept[k]] ? 1f : 0f;
    }
    return out;
  }
}
