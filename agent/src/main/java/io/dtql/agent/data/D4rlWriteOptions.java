package io.dtql.agent.data;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param infos float32 [rows][width] arrays written under {@code infos/} (e.g. "goal")
 * @param float64Infos float64 arrays written under {@code infos/} (e.g. "qpos", as D4RL stores
 *     simulator states); a key may not be in both maps
 *     <p>Keys are kept sorted, so the same options always write the same bytes.
 */
public record D4rlWriteOptions(
    FloatPrecision precision,
    FlagEncoding flagEncoding,
    boolean writeTimeouts,
    boolean writeNextObservations,
    Map<String, String> metadata,
    Map<String, float[][]> infos,
    Map<String, InfoColumn> float64Infos) {
  public D4rlWriteOptions {
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(flagEncoding, "flagEncoding");
    metadata = sorted(Objects.requireNonNull(metadata, "metadata"));
    infos = sorted(Objects.requireNonNull(infos, "infos"));
    float64Infos = sorted(Objects.requireNonNull(float64Infos, "float64Infos"));
    for (String key : infos.keySet()) {
      if (float64Infos.containsKey(key)) {
        throw new IllegalArgumentException("infos/" + key + " is given as float32 and as float64");
      }
    }
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** float32 arrays, bool flags, timeouts, no next_observations, no metadata or infos. */
  public static D4rlWriteOptions defaults() {
    return new D4rlWriteOptions(
        FloatPrecision.FLOAT32, FlagEncoding.BOOL, true, false, Map.of(), Map.of(), Map.of());
  }

  public D4rlWriteOptions withPrecision(FloatPrecision value) {
    return new D4rlWriteOptions(
        value, flagEncoding, writeTimeouts, writeNextObservations, metadata, infos, float64Infos);
  }

  public D4rlWriteOptions withFlagEncoding(FlagEncoding value) {
    return new D4rlWriteOptions(
        precision, value, writeTimeouts, writeNextObservations, metadata, infos, float64Infos);
  }

  public D4rlWriteOptions withTimeouts(boolean value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, value, writeNextObservations, metadata, infos, float64Infos);
  }

  public D4rlWriteOptions withNextObservations(boolean value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, writeTimeouts, value, metadata, infos, float64Infos);
  }

  public D4rlWriteOptions withMetadata(Map<String, String> value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, writeTimeouts, writeNextObservations, value, infos, float64Infos);
  }

  public D4rlWriteOptions withInfos(Map<String, float[][]> value) {
    return new D4rlWriteOptions(
        precision,
        flagEncoding,
        writeTimeouts,
        writeNextObservations,
        metadata,
        value,
        float64Infos);
  }

  public D4rlWriteOptions withFloat64Infos(Map<String, InfoColumn> value) {
    return new D4rlWriteOptions(
        precision, flagEncoding, writeTimeouts, writeNextObservations, metadata, infos, value);
  }
}
