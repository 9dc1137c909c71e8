package io.dtql.agent.data;

import io.dtql.agent.io.AtomicFiles;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the D4RL HDF5 layout: {@code observations} [N, obsDim], {@code actions} [N, actDim],
 * {@code rewards} [N], {@code terminals} [N], {@code timeouts} [N], optionally {@code
 * next_observations}, {@code metadata/} strings and {@code infos/} arrays. Used by tests and by
 * data collection.
 *
 * <p>The write is atomic: the file is built under a temporary name in the target directory and
 * moved into place only when complete, so an interrupted write never leaves a partial dataset. jhdf
 * writes datasets uncompressed and contiguous.
 */
public final class D4rlDatasetWriter {
  private static final Logger log = LoggerFactory.getLogger(D4rlDatasetWriter.class);

  private D4rlDatasetWriter() {}

  /** Writes {@code data} to {@code target}, replacing any existing file. */
  public static void write(Path target, D4rlData data, D4rlWriteOptions options)
      throws IOException {
    options.infos().forEach((key, rows) -> requireRows(key, rows.length, data.rows()));
    options.float64Infos().forEach((key, column) -> requireRows(key, column.rows(), data.rows()));
    AtomicFiles.writeFile(target, temp -> writeFile(temp, data, options));
    log.info("Wrote {} D4RL rows to {}", data.rows(), target);
  }

  private static void requireRows(String key, int rows, int expected) {
    if (rows != expected) {
      throw new IllegalArgumentException(
          "infos/" + key + " has " + rows + " rows, the data has " + expected);
    }
  }

  private static void writeFile(Path file, D4rlData data, D4rlWriteOptions options) {
    FloatPrecision precision = options.precision();
    try (WritableHdfFile hdf = HdfWriting.create(file)) {
      hdf.putDataset(
          "observations", HdfWriting.matrix(data.observations(), data.obsDim(), precision));
      hdf.putDataset("actions", HdfWriting.matrix(data.actions(), data.actDim(), precision));
      hdf.putDataset("rewards", HdfWriting.vector(data.rewards(), precision));
      hdf.putDataset("terminals", HdfWriting.flags(data.terminals(), options.flagEncoding()));
      if (options.writeTimeouts()) {
        hdf.putDataset("timeouts", HdfWriting.flags(data.timeouts(), options.flagEncoding()));
      }
      if (options.writeNextObservations()) {
        hdf.putDataset(
            "next_observations",
            HdfWriting.matrix(
                shiftedByOneRow(data.observations(), data.obsDim()), data.obsDim(), precision));
      }
      if (!options.metadata().isEmpty()) {
        WritableGroup metadata = hdf.putGroup("metadata");
        options.metadata().forEach((key, value) -> HdfWriting.put(metadata, key, value));
      }
      if (!options.infos().isEmpty() || !options.float64Infos().isEmpty()) {
        WritableGroup infos = hdf.putGroup("infos");
        Map<String, Object> all = new TreeMap<>(options.infos());
        options.float64Infos().forEach((key, column) -> all.put(key, column.hdfArray()));
        all.forEach((key, value) -> HdfWriting.put(infos, key, value));
      }
    }
  }

  /** obs[i + 1] for every row i; the last row has no successor and repeats itself. */
  private static float[] shiftedByOneRow(float[] observations, int obsDim) {
    float[] next = new float[observations.length];
    if (observations.length == 0) {
      return next;
    }
    System.arraycopy(observations, obsDim, next, 0, observations.length - obsDim);
    System.arraycopy(
        observations, observations.length - obsDim, next, observations.length - obsDim, obsDim);
    return next;
  }
}
