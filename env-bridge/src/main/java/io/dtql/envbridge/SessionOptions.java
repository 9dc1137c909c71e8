package io.dtql.envbridge;

import java.util.Objects;

/**
 * How to create a session: {@code numEnvs} sub-envs, env i seeded with {@code baseSeed + i} unless
 * {@code envSeedsOrNull} gives one seed per env.
 *
 * @param idleTimeoutSeconds lease length; 0 means the server's default
 */
public record SessionOptions(
    int numEnvs,
    long baseSeed,
    long[] envSeedsOrNull,
    AutoReset autoReset,
    double idleTimeoutSeconds) {

  public SessionOptions {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("numEnvs must be >= 1, got " + numEnvs);
    }
    if (envSeedsOrNull != null) {
      if (envSeedsOrNull.length != numEnvs) {
        throw new IllegalArgumentException(
            "envSeedsOrNull must have numEnvs=" + numEnvs + " seeds, got " + envSeedsOrNull.length);
      }
      envSeedsOrNull = envSeedsOrNull.clone();
    }
    Objects.requireNonNull(autoReset, "autoReset");
    if (!(idleTimeoutSeconds >= 0) || Double.isInfinite(idleTimeoutSeconds)) {
      throw new IllegalArgumentException(
          "idleTimeoutSeconds must be finite and >= 0, got " + idleTimeoutSeconds);
    }
  }

  /** {@code numEnvs} envs seeded base+i, auto-reset on the next step, the server's idle timeout. */
  public static SessionOptions of(int numEnvs, long baseSeed) {
    return new SessionOptions(numEnvs, baseSeed, null, AutoReset.NEXT_STEP, 0.0);
  }

  /** Explicit per-env seeds (one per env). */
  public static SessionOptions withSeeds(long... envSeeds) {
    return new SessionOptions(envSeeds.length, 0L, envSeeds, AutoReset.NEXT_STEP, 0.0);
  }

  public SessionOptions withAutoReset(AutoReset mode) {
    return new SessionOptions(numEnvs, baseSeed, envSeedsOrNull, mode, idleTimeoutSeconds);
  }

  public SessionOptions withIdleTimeoutSeconds(double seconds) {
    return new SessionOptions(numEnvs, baseSeed, envSeedsOrNull, autoReset, seconds);
  }

  @Override
  public long[] envSeedsOrNull() {
    return envSeedsOrNull == null ? null : envSeedsOrNull.clone();
  }
}
