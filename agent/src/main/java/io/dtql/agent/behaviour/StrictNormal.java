package io.dtql.agent.behaviour;

import io.dtql.agent.train.SplitMix64;

/**
 * Standard normal draws that are the same on every JVM and CPU: SplitMix64 bits turned into normals
 * by the Box-Muller transform with {@link StrictMath}, whose results are specified to the bit
 * (unlike {@code Math} intrinsics or {@code Random.nextGaussian}'s internals, which a JVM may
 * implement differently). Collection draws behaviour actions from this source, so a dataset depends
 * only on the seed, the policy file and the simulator.
 */
public final class StrictNormal {
  private static final double TWO_PI = 2 * Math.PI;
  private static final double INV_2_POW_53 = 1.0 / (1L << 53);

  private final SplitMix64 bits;
  private double spare;
  private boolean hasSpare;

  public StrictNormal(long seed) {
    this.bits = SplitMix64.forSeed(seed);
  }

  /** One standard normal draw. */
  public double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // u1 in (0, 1] so log(u1) is finite; u2 in [0, 1).
    double u1 = ((bits.nextLong() >>> 11) + 1) * INV_2_POW_53;
    double u2 = (bits.nextLong() >>> 11) * INV_2_POW_53;
    double radius = StrictMath.sqrt(-2 * StrictMath.log(u1));
    double angle = TWO_PI * u2;
    spare = radius * StrictMath.sin(angle);
    hasSpare = true;
    return radius * StrictMath.cos(angle);
  }
}
