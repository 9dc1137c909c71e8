package io.dtql.agent.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link D4rlDatasetWriter} lays out a file.
 *
 * @param precision precision of observations, actions, rewards (and next_observations)
 * @param flagEncoding encoding of terminals and timeouts
 * @param writeTimeouts false writes an old-style file without the {@code timeouts} key
 * @param writeNextObservations also store {@code next_observations} (row i holds obs[i+1]; the last
 *     row repeats the last observation), as some D4RL files do
 * @param metadata string datasets written under {@code metadata/}; keys may contain '/' for nested
 *     groups
 * @param infos float32 [rows][width] arrays written under {@code infos/} (e.g. "qpos")
 */
public record D4rlWriteOptions(
    FloatPrecision precision,
    FlagEncoding flagEncoding,
    boolean writeTimeouts,
    boolean writeNextObservations,
    Map<String, String> metadata,
    Map<String, float[][]> infos) {
  public D4rlWriteOptions {
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(flagEncoding, "flagEncoding");
    metadata = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    infos = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(infos, "infos")));
  }

  /** float32 arrays, bool flags, timeouts, no next_observations, no metadata or infos. */
  public static D4rlWriteOptions defaults() {
    return new D4rlWriteOptions(
        FloatPrecision.FLOAT32, FlagEncoding.BOOL, true, false, Map.of(), Map.of());
  }

  public D4rlWriteOptions withPrecision(FloatPrecision value) {
    return new D4rlWriteOptions(
        value, flagEncoding, writeTimeouts, writeNextObservations, metadata, infos);
  }

  public D4rlWriteOptions withFlagEncoding(FlagEncoding value) {
    return new D4rlWriteOptions(
        precision, value, writeTimeouts, writeNextObservations, metadata, infos);
  }

  public D4rlWriteOptions withTimeouts(boolean value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, value, writeNextObservations, metadata, infos);
  }

  public D4rlWriteOptions withNextObservations(boolean value) {
    return new D4rlWriteOptions(precision, flagEncoding, writeTimeouts, value, metadata, infos);
  }

  public D4rlWriteOptions withMetadata(Map<String, String> value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, writeTimeouts, writeNextObservations, value, infos);
  }

  public D4rlWriteOptions withInfos(Map<String, float[][]> value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, writeTimeouts, writeNextObservations, metadata, value);
  }
}
