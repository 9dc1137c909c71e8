package io.dtql.envbridge;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to create a session: {@code numEnvs} sub-envs, env i seeded with {@code baseSeed + i} unless
 * {@code envSeedsOrNull} gives one seed per env.
 *
 * @param idleTimeoutSeconds lease length; 0 means the server's default
 * @param infoKeys the info tensors every reset and step result of the session carries (names from
 *     {@link TaskSpec#infos()}, e.g. "qpos", "qvel"); empty for none. A key the task does not
 *     report fails session creation with {@link InvalidArgumentException}
 */
public record SessionOptions(
    int numEnvs,
    long baseSeed,
    long[] envSeedsOrNull,
    AutoReset autoReset,
    double idleTimeoutSeconds,
    List<String> infoKeys) {

  /** Options without info tensors. */
  public SessionOptions(
      int numEnvs,
      long baseSeed,
      long[] envSeedsOrNull,
      AutoReset autoReset,
      double idleTimeoutSeconds) {
    this(numEnvs, baseSeed, envSeedsOrNull, autoReset, idleTimeoutSeconds, List.of());
  }

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
    infoKeys = infoKeys == null ? List.of() : List.copyOf(infoKeys); // refuses null keys
    Set<String> seen = new HashSet<>();
    for (String key : infoKeys) {
      if (key.isBlank()) {
        throw new IllegalArgumentException("infoKeys must not contain a blank key: " + infoKeys);
      }
      if (!seen.add(key)) {
        throw new IllegalArgumentException("infoKeys names '" + key + "' twice: " + infoKeys);
      }
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
    return new SessionOptions(
        numEnvs, baseSeed, envSeedsOrNull, mode, idleTimeoutSeconds, infoKeys);
  }

  public SessionOptions withIdleTimeoutSeconds(double seconds) {
    return new SessionOptions(numEnvs, baseSeed, envSeedsOrNull, autoReset, seconds, infoKeys);
  }

  /**
   * These info tensors in every reset and step result, in this order (replacing any chosen before;
   * none clears them). Needs a server with capability "infos" (protocol v1.2).
   */
  public SessionOptions withInfoKeys(String... keys) {
    return new SessionOptions(
        numEnvs, baseSeed, envSeedsOrNull, autoReset, idleTimeoutSeconds, List.of(keys));
  }

  @Override
  public long[] envSeedsOrNull() {
    return envSeedsOrNull == null ? null : envSeedsOrNull.clone();
  }
}
