package io.dtql.agent.train;

/**
 * Steele, Lea and Flood's SplitMix64 generator: one 64-bit word of state, so the batch sampler's
 * position in its random stream fits in a checkpoint and a resumed run draws exactly the batches an
 * uninterrupted run would have drawn ({@code java.util.SplittableRandom} hides its state).
 */
public final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  /** A generator positioned at the given raw state (as returned by {@link #state()}). */
  public SplitMix64(long state) {
    this.state = state;
  }

  /**
   * A generator for a run seed. The seed is mixed with a constant so the sampler's stream differs
   * from other streams derived from the same seed (for example network initialisation).
   */
  public static SplitMix64 forSeed(long seed) {
    return new SplitMix64(mix(seed ^ 0x5A17_B47C_4E57_5EEDL));
  }

  /** The raw state; {@code new SplitMix64(state())} continues the same sequence. */
  public long state() {
    return state;
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject method). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, got " + bound);
    }
    long product = (nextLong() >>> 32) * bound;
    long low = product & 0xFFFF_FFFFL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        product = (nextLong() >>> 32) * bound;
        low = product & 0xFFFF_FFFFL;
      }
    }
    return (int) (product >>> 32);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
