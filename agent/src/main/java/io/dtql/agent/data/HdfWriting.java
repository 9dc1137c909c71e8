package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;

/** Small helpers for jhdf's writer: new files, nested paths and flat-to-2D conversion. */
final class HdfWriting {
  /**
   * The provenance attribute jhdf puts on the root group of every file it writes. jhdf 0.13.0's
   * writer and reader disagree on the length of an attribute message (for this name the reader
   * stops 3 bytes before the end the writer declared), so every later open of the file logs "After
   * reading message (AttributeMessage) buffer still has 3 bytes remaining" at WARN: a false alarm
   * about a good file, and the only attribute our files would hold.
   */
  static final String JHDF_ATTRIBUTE = "_jHDF";

  private HdfWriting() {}

  /**
   * A new HDF5 file at {@code file}, without jhdf's {@value #JHDF_ATTRIBUTE} attribute, so that
   * reading the file back logs no warning. The project writes no attributes of its own.
   */
  static WritableHdfFile create(Path file) {
    WritableHdfFile hdf = HdfFile.write(file);
    hdf.removeAttribute(JHDF_ATTRIBUTE);
    return hdf;
  }

  /**
   * Puts {@code data} at a slash-separated {@code path} below {@code root}, creating or reusing the
   * intermediate groups (jhdf's {@code putDataset} takes a single name only).
   */
  static void put(WritableGroup root, String path, Object data) {
    String[] parts = path.split("/");
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("dataset path has an empty component: '" + path + "'");
      }
    }
    WritableGroup group = root;
    for (int i = 0; i < parts.length - 1; i++) {
      group = group(group, parts[i]);
    }
    group.putDataset(parts[parts.length - 1], data);
  }

  /** The child group {@code name} of {@code parent}, created if absent. */
  static WritableGroup group(WritableGroup parent, String name) {
    Node existing = parent.getChildren().get(name);
    if (existing == null) {
      return parent.putGroup(name);
    }
    if (existing instanceof WritableGroup group) {
      return group;
    }
    throw new IllegalArgumentException(
        "'" + name + "' already exists below '" + parent.getPath() + "' and is not a group");
  }

  /** A flat row-major array as [rows][width] float32, the shape jhdf needs to write 2D. */
  static float[][] rowsOf(float[] flat, int width) {
    int rows = flat.length / width;
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = new float[width];
      System.arraycopy(flat, r * width, out[r], 0, width);
    }
    return out;
  }

  /** A flat row-major array as [rows][width] float64. */
  static double[][] rowsOfDoubles(float[] flat, int width) {
    int rows = flat.length / width;
    double[][] out = new double[rows][width];
    for (int r = 0; r < rows; r++) {
      double[] row = out[r];
      int base = r * width;
      for (int c = 0; c < width; c++) {
        row[c] = flat[base + c];
      }
    }
    return out;
  }

  /** A flat 1-D array in the requested precision. */
  static Object vector(float[] values, FloatPrecision precision) {
    if (precision == FloatPrecision.FLOAT32) {
      return values.clone();
    }
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** A [rows][width] array in the requested precision. */
  static Object matrix(float[] flat, int width, FloatPrecision precision) {
    return precision == FloatPrecision.FLOAT32 ? rowsOf(flat, width) : rowsOfDoubles(flat, width);
  }

  /** Flags in the requested on-disk encoding; true is 1, false is 0. */
  static Object flags(boolean[] flags, FlagEncoding encoding) {
    return switch (encoding) {
      case BOOL -> flags.clone();
      case INT8 -> {
        byte[] out = new byte[flags.length];
        for (int i = 0; i < flags.length; i++) {
          out[i] = (byte) (flags[i] ? 1 : 0);
        }
        yield out;
      }
      case INT32 -> {
        int[] out = new int[flags.length];
        for (int i = 0; i < flags.length; i++) {
          out[i] = flags[i] ? 1 : 0;
        }
        yield out;
      }
      case INT64 -> {
        long[] out = new long[flags.length];
        for (int i = 0; i < flags.length; i++) {
          out[i] = flags[i] ? 1L : 0L;
        }
        yield out;
      }
      case FLOAT32 -> {
        float[] out = new float[flags.length];
        for (int i = 0; i < flags.length; i++) {
          out[i] = flags[i] ? 1f : 0f;
        }
        yield out;
      }
      case FLOAT64 -> {
        double[] out = new double[flags.length];
        for (int i = 0; i < flags.length; i++) {
          out[i] = flags[i] ? 1d : 0d;
        }
        yield out;
      }
    };
  }
}
