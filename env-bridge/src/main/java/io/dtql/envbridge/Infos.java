package io.dtql.envbridge;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The info arrays of a {@link ResetResult} or {@link StepResult}: checks and row access. */
final class Infos {

  private Infos() {}

  /**
   * An unmodifiable copy of the map (keeping its order; the arrays themselves are not copied),
   * after checking that each array holds a whole number of rows for {@code k} envs.
   */
  static Map<String, double[]> checked(Map<String, double[]> infos, int k) {
    if (infos == null || infos.isEmpty()) {
      return Map.of();
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> entry : infos.entrySet()) {
      String key = entry.getKey();
      double[] values = entry.getValue();
      if (key == null || values == null) {
        throw new IllegalArgumentException("infos has a null key or array: " + key);
      }
      if (k == 0 ? values.length != 0 : values.length % k != 0) {
        throw new IllegalArgumentException(
            "infos['"
                + key
                + "'] has "
                + values.length
                + " values, not a whole row for each of "
                + k
                + " envs");
      }
      copy.put(key, values);
    }
    return Collections.unmodifiableMap(copy);
  }

  static int width(Map<String, double[]> infos, String key, int k) {
    return k == 0 ? 0 : values(infos, key).length / k;
  }

  static double[] row(Map<String, double[]> infos, String key, int k, int row) {
    double[] values = values(infos, key);
    int width = width(infos, key, k);
    return Arrays.copyOfRange(values, row * width, (row + 1) * width);
  }

  private static double[] values(Map<String, double[]> infos, String key) {
    double[] values = infos.get(key);
    if (values == null) {
      throw new IllegalArgumentException(
          "no info '" + key + "' in this result; the session asked for " + infos.keySet());
    }
    return values;
  }
}
