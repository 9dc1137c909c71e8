package io.dtql.agent.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of a dataset's arrays (not of the HDF5 file): observations, actions and rewards as
 * little-endian float32, terminals and timeouts as one byte each, then every info array by sorted
 * name (the name in UTF-8, then its values as little-endian float64). Two collections that made the
 * same data have the same hash whatever file layout wrote them, so the hash is what proves that a
 * dataset was regenerated exactly.
 */
public final class DatasetContentHash {
  private DatasetContentHash() {}

  public static String of(D4rlData data, Map<String, InfoColumn> infos) {
    MessageDigest sha = sha256();
    floats(sha, data.observations());
    floats(sha, data.actions());
    floats(sha, data.rewards());
    flags(sha, data.terminals());
    flags(sha, data.timeouts());
    for (Map.Entry<String, InfoColumn> info : new TreeMap<>(infos).entrySet()) {
      sha.update(info.getKey().getBytes(StandardCharsets.UTF_8));
      double[] values = info.getValue().values();
      ByteBuffer b =
          ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(values);
      sha.update(b.array());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void floats(MessageDigest sha, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    sha.update(b.array());
  }

  private static void flags(MessageDigest sha, boolean[] values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
