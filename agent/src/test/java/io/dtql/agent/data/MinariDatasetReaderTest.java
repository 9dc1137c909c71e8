package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinariDatasetReaderTest {
  @TempDir Path dir;

  @Test
  void keepsTheLastStepOfATruncatedEpisodeWithoutMarkingItDone() throws IOException {
    Path dataset = dir.resolve("hopper-test-v0");
    MinariDatasetWriter.writeDataset(
        dataset,
        List.of(Fixtures.episode(0, 3, false, true), Fixtures.episode(100, 2, true, false)));

    Transitions t = MinariDatasetReader.read(dataset, ExpectedShape.of(2, 1));

    assertEquals(5, t.size());
    assertArrayEquals(new float[] {0, 0, 1, -1, 2, -2, 100, -100, 101, -101}, t.observations());
    assertArrayEquals(
        new float[] {1, -1, 2, -2, 3, -3, 101, -101, 102, -102}, t.nextObservations());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 100.5f, 101.5f}, t.actions());
    assertArrayEquals(new float[] {0, 1, 2, 10_000, 10_001}, t.rewards());
    // Truncated step 2 of episode 0 is kept and not done; the terminated last step is done.
    assertArrayEquals(new float[] {0, 0, 0, 0, 1}, t.dones());
  }

  @Test
  void readsEpisodesInNumericNotLexicalOrder() throws IOException {
    List<MinariEpisode> episodes = new ArrayList<>();
    for (int e = 0; e < 12; e++) {
      episodes.add(Fixtures.episode(e * 10, 1, false, false));
    }
    Path dataset = dir.resolve("ordered");
    MinariDatasetWriter.writeDataset(dataset, episodes);

    Transitions t = MinariDatasetReader.read(dataset, ExpectedShape.any());

    assertEquals(12, t.size());
    for (int e = 0; e < 12; e++) {
      assertEquals(e * 10, t.observations()[2 * e], "row " + e);
    }
  }

  @Test
  void acceptsTheDatasetDirectoryItsDataDirectoryAndTheMainFile() throws IOException {
    Path dataset = dir.resolve("paths");
    Path main =
        MinariDatasetWriter.writeDataset(dataset, List.of(Fixtures.episode(0, 4, true, false)));

    for (Path path : List.of(dataset, dataset.resolve("data"), main)) {
      Transitions t = MinariDatasetReader.read(path, ExpectedShape.any());
      assertEquals(4, t.size(), path.toString());
      assertEquals(1f, t.dones()[3], path.toString());
    }
  }

  @Test
  void appendsAdditionalDataFilesInNumericOrderAfterTheMainFile() throws IOException {
    Path dataset = dir.resolve("split");
    Path main =
        MinariDatasetWriter.writeDataset(dataset, List.of(Fixtures.episode(0, 1, false, false)));
    Path data = main.getParent();
    MinariDatasetWriter.writeFile(
        data.resolve("additional_data_10.hdf5"), List.of(Fixtures.episode(30, 1, false, false)), 2);
    MinariDatasetWriter.writeFile(
        data.resolve("additional_data_2.hdf5"), List.of(Fixtures.episode(20, 1, false, false)), 1);

    Transitions t = MinariDatasetReader.read(dataset, ExpectedShape.any());

    assertArrayEquals(new float[] {0, 0, 20, -20, 30, -30}, t.observations());
  }

  @Test
  void refusesDictObservationsNamingFileEpisodeAndTheFix() {
    Path file =
        Fixtures.hdf(
            dir.resolve("maze.hdf5"),
            hdf -> {
              var episode = hdf.putGroup("episode_0");
              var obs = episode.putGroup("observations");
              obs.putDataset("observation", Fixtures.matrix(3, 4));
              obs.putDataset("desired_goal", Fixtures.matrix(3, 2));
              episode.putDataset("actions", Fixtures.matrix(2, 2));
              episode.putDataset("rewards", Fixtures.vector(2));
              episode.putDataset("terminations", new boolean[2]);
              episode.putDataset("truncations", new boolean[2]);
            });

    DatasetException e =
        assertThrows(DatasetException.class, () -> DatasetLoader.load(file, ExpectedShape.any()));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals("episode_0/observations", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("dict observations are not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("Flatten"), e.getMessage());
  }

  @Test
  void rejectsAnEpisodeWhoseObservationsLackTheFinalRow() {
    Path file =
        Fixtures.hdf(
            dir.resolve("short.hdf5"),
            hdf -> {
              var episode = hdf.putGroup("episode_0");
              episode.putDataset("observations", Fixtures.matrix(2, 2));
              episode.putDataset("actions", Fixtures.matrix(2, 1));
              episode.putDataset("rewards", Fixtures.vector(2));
              episode.putDataset("terminations", new boolean[2]);
              episode.putDataset("truncations", new boolean[2]);
            });

    DatasetException e =
        assertThrows(
            DatasetException.class, () -> MinariDatasetReader.read(file, ExpectedShape.any()));

    assertEquals("episode_0/observations", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("episode_0/actions"), e.getMessage());
  }

  @Test
  void rejectsEpisodesWithDifferentWidths() throws IOException {
    MinariEpisode wide =
        new MinariEpisode(
            3, 1, new float[6], new float[1], new float[1], new boolean[1], new boolean[1]);
    Path dataset = dir.resolve("mixed");
    MinariDatasetWriter.writeDataset(dataset, List.of(Fixtures.episode(0, 1, false, false), wide));

    DatasetException e =
        assertThrows(
            DatasetException.class, () -> MinariDatasetReader.read(dataset, ExpectedShape.any()));

    assertEquals("episode_1/observations", e.key().orElseThrow());
  }

  @Test
  void rejectsTheWrongObservationWidthForTheTask() throws IOException {
    Path dataset = dir.resolve("wrong-task");
    MinariDatasetWriter.writeDataset(dataset, List.of(Fixtures.episode(0, 2, false, false)));

    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> MinariDatasetReader.read(dataset, ExpectedShape.of(11, 1)));

    assertEquals("episode_0/observations", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("width 2 but the task expects 11"), e.getMessage());
  }

  @Test
  void rejectsADirectoryWithoutMainData() {
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> MinariDatasetReader.read(dir, ExpectedShape.any()));
    assertTrue(e.getMessage().contains("main_data.hdf5"), e.getMessage());
  }
}
