package io.dtql.agent.data;

import io.dtql.agent.io.AtomicFiles;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes Minari-layout episode files ({@code episode_<n>} groups of float32 arrays and bool flags),
 * atomically. Small by design: it exists to build fixtures, not to replace Minari's metadata
 * handling.
 */
public final class MinariDatasetWriter {
  private MinariDatasetWriter() {}

  /** Writes {@code episodes} as {@code <datasetDir>/data/main_data.hdf5}, numbered from 0. */
  public static Path writeDataset(Path datasetDir, List<MinariEpisode> episodes)
      throws IOException {
    Path main = datasetDir.resolve("data").resolve("main_data.hdf5");
    writeFile(main, episodes, 0);
    return main;
  }

  /**
   * Writes one HDF5 file of episode groups named {@code episode_<firstEpisodeId + k>}; each episode
   * also gets an {@code infos/step} array, so readers are exercised on an infos group.
   */
  public static void writeFile(Path file, List<MinariEpisode> episodes, int firstEpisodeId)
      throws IOException {
    AtomicFiles.writeFile(
        file,
        temp -> {
          try (WritableHdfFile hdf = HdfWriting.create(temp)) {
            for (int k = 0; k < episodes.size(); k++) {
              MinariEpisode episode = episodes.get(k);
              WritableGroup group = hdf.putGroup("episode_" + (firstEpisodeId + k));
              group.putDataset(
                  "observations", HdfWriting.rowsOf(episode.observations(), episode.obsDim()));
              group.putDataset("actions", HdfWriting.rowsOf(episode.actions(), episode.actDim()));
              group.putDataset("rewards", episode.rewards().clone());
              group.putDataset("terminations", episode.terminations().clone());
              group.putDataset("truncations", episode.truncations().clone());
              float[] stepIndex = new float[episode.steps()];
              for (int t = 0; t < stepIndex.length; t++) {
                stepIndex[t] = t;
              }
              group.putGroup("infos").putDataset("step", stepIndex);
            }
          }
        });
  }
}
