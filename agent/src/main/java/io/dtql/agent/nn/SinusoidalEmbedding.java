package io.dtql.agent.nn;

/**
 * The score network's 16-wide sinusoidal embedding of the noise level t = log(sigma)/4: half the
 * features are sin(t * f_k), half cos(t * f_k), with f_k = exp(-k ln(10000) / (half - 1)). Computed
 * in Java because t carries no gradient and is already a Java number when noise is drawn.
 */
public final class SinusoidalEmbedding {
  /** Width of the embedding used by the DTQL score network. */
  public static final int WIDTH = 16;

  private SinusoidalEmbedding() {}

  /** Writes the WIDTH features of {@code t} into {@code out[offset..offset+WIDTH)}. */
  public static void embed(double t, float[] out, int offset) {
    int half = WIDTH / 2;
    double step = Math.log(10000.0) / (half - 1);
    for (int k = 0; k < half; k++) {
      double angle = t * Math.exp(-k * step);
      out[offset + k] = (float) Math.sin(angle);
      out[offset + half + k] = (float) Math.cos(angle);
    }
  }
}
