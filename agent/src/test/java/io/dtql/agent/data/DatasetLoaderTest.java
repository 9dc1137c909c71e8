package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
  @TempDir Path dir;

  @Test
  void detectsD4rlFilesAndMinariDirectoriesAndFiles() throws IOException {
    Path d4rl = dir.resolve("hopper-medium-v2.hdf5");
    D4rlDatasetWriter.write(d4rl, Fixtures.sevenRows(), D4rlWriteOptions.defaults());
    Path minariDir = dir.resolve("mujoco").resolve("hopper").resolve("medium-v0");
    Path minariMain =
        MinariDatasetWriter.writeDataset(minariDir, List.of(Fixtures.episode(0, 3, true, false)));

    assertEquals(DatasetFormat.D4RL, DatasetLoader.detect(d4rl));
    assertEquals(DatasetFormat.MINARI, DatasetLoader.detect(minariDir));
    assertEquals(DatasetFormat.MINARI, DatasetLoader.detect(minariMain));
  }

  @Test
  void loadsEitherFormatThroughOneCall() throws IOException {
    Path d4rl = dir.resolve("d4rl.hdf5");
    D4rlDatasetWriter.write(d4rl, Fixtures.sevenRows(), D4rlWriteOptions.defaults());
    Path minari = dir.resolve("minari");
    MinariDatasetWriter.writeDataset(minari, List.of(Fixtures.episode(0, 3, true, false)));

    Transitions fromD4rl = DatasetLoader.load(d4rl, OptionalInt.of(2), OptionalInt.of(1));
    Transitions fromMinari = DatasetLoader.load(minari, OptionalInt.empty(), OptionalInt.of(1));

    assertEquals(5, fromD4rl.size());
    assertEquals(1, fromD4rl.terminalCount());
    assertEquals(3, fromMinari.size());
    assertEquals(1f, fromMinari.dones()[2]);
  }
}
