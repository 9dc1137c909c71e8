package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The entry point for offline data: detects whether a path holds a D4RL file or a Minari dataset,
 * reads it with the matching reader and checks the widths the task expects.
 *
 * <p>Detection: a directory is Minari; a file with a top-level {@code observations} dataset is
 * D4RL; a file with {@code episode_<n>} groups is Minari; anything else is refused.
 */
public final class DatasetLoader {
  private DatasetLoader() {}

  /** Loads transitions from {@code path}, requiring the given widths when present. */
  public static Transitions load(
      Path path, OptionalInt expectedObsDim, OptionalInt expectedActDim) {
    return load(path, new ExpectedShape(expectedObsDim, expectedActDim));
  }

  /** Loads transitions from {@code path}, requiring {@code expected} widths. */
  public static Transitions load(Path path, ExpectedShape expected) {
    return switch (detect(path)) {
      case D4RL -> D4rlDatasetReader.read(path, expected);
      case MINARI -> MinariDatasetReader.read(path, expected);
    };
  }

  /**
   * The files the dataset at {@code path} is read from, in reading order: the file itself for a
   * D4RL file; for a Minari dataset its {@code main_data.hdf5} and any {@code
   * additional_data_*.hdf5} beside it. Nothing is opened.
   */
  public static List<Path> files(Path path) {
    return MinariDatasetReader.dataFiles(path);
  }

  /** The format of the dataset at {@code path}, opening the file only to look at its keys. */
  public static DatasetFormat detect(Path path) {
    if (!Files.exists(path)) {
      throw new DatasetException(path, "file does not exist");
    }
    if (Files.isDirectory(path)) {
      return DatasetFormat.MINARI;
    }
    return HdfFiles.read(path, DatasetLoader::formatOf)
        .orElseThrow(
            () ->
                new DatasetException(
                    path,
                    "observations",
                    "missing key: neither a D4RL file (top-level 'observations' dataset) nor a"
                        + " Minari file ('episode_<n>' groups)"));
  }

  /** The layout the file's top-level keys show, if they show one. */
  private static Optional<DatasetFormat> formatOf(HdfFile hdf) {
    if (hdf.getChild("observations") instanceof Dataset) {
      return Optional.of(DatasetFormat.D4RL);
    }
    for (Node node : hdf) {
      if (node.isGroup() && node.getName().matches("episode_\\d+")) {
        return Optional.of(DatasetFormat.MINARI);
      }
    }
    return Optional.empty();
  }
}
