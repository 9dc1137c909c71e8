package io.dtql.agent.data;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.EnumDataType;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads the numeric columns of an offline dataset (observations, actions, rewards and flags) from
 * jhdf datasets into flat float32 / boolean arrays, checking rank, dtype and finiteness, and naming
 * the file and key in every error.
 */
final class HdfColumns {
  /**
   * Rows converted per float64 block. Reading a float64 column whole would hold a double[] twice
   * the size of the float[] it becomes; blocks bound that overhead to a few megabytes.
   */
  private static final int ROWS_PER_BLOCK = 1 << 16;

  private HdfColumns() {}

  /** Rows and row width of a column; width is 1 for a scalar-per-row column. */
  record Shape(int rows, int width, int rank) {}

  /** The dataset {@code name} in {@code parent}, or an error if it is missing or a group. */
  static Dataset require(Group parent, String name, Path file) {
    String key = HdfFiles.keyOf(parent, name);
    Node node = parent.getChild(name);
    if (node == null) {
      throw new DatasetException(file, key, "missing key");
    }
    if (!(node instanceof Dataset dataset)) {
      throw new DatasetException(file, key, "is a group, expected a dataset");
    }
    return dataset;
  }

  /** The key of a dataset as printed in error messages. */
  static String keyOf(Dataset dataset) {
    String path = dataset.getPath();
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** Shape of a [rows, width] column; any other rank is an error. */
  static Shape matrixShape(Dataset dataset, Path file) {
    long[] dims = dataset.getDimensionsAsLong();
    if (dims.length != 2) {
      throw new DatasetException(
          file,
          keyOf(dataset),
          "has rank " + dims.length + " (dims " + Arrays.toString(dims) + "), expected rank 2");
    }
    return shape(dataset, file, dims[0], dims[1], 2);
  }

  /** Shape of a one-value-per-row column stored as [rows] or [rows, 1]. */
  static Shape vectorShape(Dataset dataset, Path file) {
    long[] dims = dataset.getDimensionsAsLong();
    if (dims.length == 1) {
      return shape(dataset, file, dims[0], 1, 1);
    }
    if (dims.length == 2 && dims[1] == 1) {
      return shape(dataset, file, dims[0], 1, 2);
    }
    throw new DatasetException(
        file,
        keyOf(dataset),
        "has dims " + Arrays.toString(dims) + ", expected rank 1 ([rows]) or [rows, 1]");
  }

  private static Shape shape(Dataset dataset, Path file, long rows, long width, int rank) {
    if (rows * width > Integer.MAX_VALUE - 8) {
      throw new DatasetException(
          file,
          keyOf(dataset),
          "has " + rows + " x " + width + " values, more than one Java array can hold");
    }
    return new Shape((int) rows, (int) width, rank);
  }

  /** Fails unless {@code other} has as many rows as {@code reference}, naming both keys. */
  static void requireSameRows(
      Dataset reference, Shape referenceShape, Dataset other, Shape otherShape, Path file) {
    if (referenceShape.rows() != otherShape.rows()) {
      throw new DatasetException(
          file,
          keyOf(other),
          "has "
              + otherShape.rows()
              + " rows but '"
              + keyOf(reference)
              + "' has "
              + referenceShape.rows()
              + "; the two must match");
    }
  }

  /**
   * Reads a float32 or float64 column as a flat row-major float[rows * width]; float64 is narrowed
   * block by block. Every value must be finite after narrowing.
   */
  static float[] readFloats(Dataset dataset, Shape shape, Path file) {
    Class<?> type = dataset.getJavaType();
    float[] values;
    try {
      if (type == float.class) {
        values = shape.rows() == 0 ? new float[0] : (float[]) dataset.getDataFlat();
      } else if (type == double.class) {
        values = narrowInBlocks(dataset, shape);
      } else {
        throw new DatasetException(
            file, keyOf(dataset), "unsupported dtype " + type + ", expected float32 or float64");
      }
    } catch (DatasetException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DatasetException(
          file, keyOf(dataset), "could not be read (" + e.getMessage() + ")", e);
    }
    requireFinite(values, shape.width(), dataset, file);
    return values;
  }

  private static float[] narrowInBlocks(Dataset dataset, Shape shape) {
    if (dataset instanceof ContiguousDataset contiguous) {
      return narrowMapped(contiguous, shape);
    }
    int rows = shape.rows();
    int width = shape.width();
    float[] out = new float[rows * width];
    for (int start = 0; start < rows; start += ROWS_PER_BLOCK) {
      int count = Math.min(ROWS_PER_BLOCK, rows - start);
      int base = start * width;
      if (shape.rank() == 1) {
        double[] block = (double[]) dataset.getData(new long[] {start}, new int[] {count});
        for (int i = 0; i < count; i++) {
          out[base + i] = (float) block[i];
        }
      } else {
        double[][] block =
            (double[][]) dataset.getData(new long[] {start, 0}, new int[] {count, width});
        for (int r = 0; r < count; r++) {
          double[] row = block[r];
          int offset = base + r * width;
          for (int c = 0; c < width; c++) {
            out[offset + c] = (float) row[c];
          }
        }
      }
    }
    return out;
  }

  /**
   * Narrows a contiguous (uncompressed) float64 dataset straight from jhdf's memory-mapped view of
   * the file, one block at a time. Several times faster than sliced reads, which build a
   * double[rows][width] per block.
   */
  private static float[] narrowMapped(ContiguousDataset dataset, Shape shape) {
    DoubleBuffer source = dataset.getBuffer().asDoubleBuffer();
    float[] out = new float[shape.rows() * shape.width()];
    double[] block = new double[Math.min(out.length, ROWS_PER_BLOCK * shape.width())];
    for (int start = 0; start < out.length; start += block.length) {
      int count = Math.min(block.length, out.length - start);
      source.get(block, 0, count);
      for (int i = 0; i < count; i++) {
        out[start + i] = (float) block[i];
      }
    }
    return out;
  }

  private static void requireFinite(float[] values, int width, Dataset dataset, Path file) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new DatasetException(
            file,
            keyOf(dataset),
            "holds "
                + values[i]
                + " (NaN or Inf, possibly after float64 -> float32 narrowing) at row "
                + (i / width)
                + "; every value must be finite");
      }
    }
  }

  /**
   * Reads a flag column (terminals, timeouts, terminations, truncations) as booleans. Accepted
   * encodings: HDF5 bitfield (jhdf's boolean), the enum {FALSE=0, TRUE=1} that h5py writes for
   * numpy bool, any integer type, and float32/float64; nonzero means true.
   */
  static boolean[] readFlags(Dataset dataset, Shape shape, Path file) {
    int rows = shape.rows();
    if (rows == 0) {
      return new boolean[0];
    }
    Object data;
    try {
      data = dataset.getDataFlat();
    } catch (RuntimeException e) {
      throw new DatasetException(
          file, keyOf(dataset), "could not be read (" + e.getMessage() + ")", e);
    }
    boolean[] flags = new boolean[rows];
    if (data instanceof boolean[] bools) {
      return bools;
    } else if (data instanceof String[] names && dataset.getDataType() instanceof EnumDataType e) {
      Map<String, Integer> valueOfName = new HashMap<>();
      e.getEnumMapping().forEach((value, name) -> valueOfName.put(name, value));
      for (int i = 0; i < rows; i++) {
        Integer value = valueOfName.get(names[i]);
        if (value == null) {
          throw new DatasetException(
              file, keyOf(dataset), "enum value '" + names[i] + "' at row " + i + " is unknown");
        }
        flags[i] = value != 0;
      }
    } else if (data instanceof byte[] bytes) {
      for (int i = 0; i < rows; i++) {
        flags[i] = bytes[i] != 0;
      }
    } else if (data instanceof short[] shorts) {
      for (int i = 0; i < rows; i++) {
        flags[i] = shorts[i] != 0;
      }
    } else if (data instanceof int[] ints) {
      for (int i = 0; i < rows; i++) {
        flags[i] = ints[i] != 0;
      }
    } else if (data instanceof long[] longs) {
      for (int i = 0; i < rows; i++) {
        flags[i] = longs[i] != 0;
      }
    } else if (data instanceof float[] floats) {
      requireFinite(floats, 1, dataset, file);
      for (int i = 0; i < rows; i++) {
        flags[i] = floats[i] != 0f;
      }
    } else if (data instanceof double[] doubles) {
      for (int i = 0; i < rows; i++) {
        if (!Double.isFinite(doubles[i])) {
          throw new DatasetException(
              file, keyOf(dataset), "holds " + doubles[i] + " (NaN or Inf) at row " + i);
        }
        flags[i] = doubles[i] != 0d;
      }
    } else {
      throw new DatasetException(
          file,
          keyOf(dataset),
          "unsupported dtype "
              + dataset.getJavaType()
              + " for a flag, expected bool, an integer type, float32 or float64");
    }
    return flags;
  }

  /** Fails when a column's width differs from the width the task expects. */
  static void requireWidth(
      Dataset dataset, Shape shape, OptionalInt expected, Path file, String what) {
    if (expected.isPresent() && expected.getAsInt() != shape.width()) {
      throw new DatasetException(
          file,
          keyOf(dataset),
          "has "
              + what
              + " width "
              + shape.width()
              + " but the task expects "
              + expected.getAsInt());
    }
  }
}
