package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWritersTest {
  @TempDir Path dir;

  private List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheD4rlLayoutWithMetadataInfosAndNextObservations() throws IOException {
    Path file = dir.resolve("hopper.hdf5");
    D4rlDatasetWriter.write(
        file,
        Fixtures.sevenRows(),
        D4rlWriteOptions.defaults()
            .withPrecision(FloatPrecision.FLOAT64)
            .withNextObservations(true)
            .withMetadata(Map.of("algorithm", "SAC", "policy/name", "actor"))
            .withInfos(Map.of("qpos", Fixtures.matrix(7, 3))));

    try (HdfFile hdf = new HdfFile(file)) {
      assertEquals(double.class, hdf.getDatasetByPath("observations").getJavaType());
      assertArrayEquals(new int[] {7, 2}, hdf.getDatasetByPath("observations").getDimensions());
      assertArrayEquals(new int[] {7}, hdf.getDatasetByPath("rewards").getDimensions());
      assertEquals("SAC", hdf.getDatasetByPath("metadata/algorithm").getData());
      assertEquals("actor", hdf.getDatasetByPath("metadata/policy/name").getData());
      assertArrayEquals(new int[] {7, 3}, hdf.getDatasetByPath("infos/qpos").getDimensions());
      double[][] next = (double[][]) hdf.getDatasetByPath("next_observations").getData();
      assertArrayEquals(new double[] {10, 11}, next[0]);
      assertArrayEquals(new double[] {60, 61}, next[6]);
      boolean[] terminals = (boolean[]) hdf.getDatasetByPath("terminals").getData();
      assertEquals(true, terminals[5]);
    }
    assertEquals(List.of("hopper.hdf5"), filesIn(dir));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("data.hdf5");
    D4rlDatasetWriter.write(file, Fixtures.rows(5, 2, 1), D4rlWriteOptions.defaults());
    byte[] before = Files.readAllBytes(file);

    // An empty path component makes the writer fail after the temporary file was created.
    D4rlWriteOptions broken = D4rlWriteOptions.defaults().withMetadata(Map.of("a//b", "x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> D4rlDatasetWriter.write(file, Fixtures.rows(9, 2, 1), broken));

    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of("data.hdf5"), filesIn(dir));
    assertEquals(4, D4rlDatasetReader.read(file, ExpectedShape.any()).size());
  }

  @Test
  void overwritingReplacesTheWholeFile() throws IOException {
    Path file = dir.resolve("data.hdf5");
    D4rlDatasetWriter.write(file, Fixtures.rows(50, 2, 1), D4rlWriteOptions.defaults());
    D4rlDatasetWriter.write(file, Fixtures.rows(5, 2, 1), D4rlWriteOptions.defaults());

    assertEquals(4, D4rlDatasetReader.read(file, ExpectedShape.any()).size());
    assertEquals(List.of("data.hdf5"), filesIn(dir));
  }

  @Test
  void rejectsInfosWithTheWrongRowCount() {
    D4rlWriteOptions options =
        D4rlWriteOptions.defaults().withInfos(Map.of("qpos", Fixtures.matrix(3, 2)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> D4rlDatasetWriter.write(dir.resolve("x.hdf5"), Fixtures.sevenRows(), options));
    assertEquals("infos/qpos has 3 rows, the data has 7", e.getMessage());
  }

  @Test
  void d4rlDataRejectsMismatchedArrays() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new D4rlData(
                    2,
                    1,
                    new float[6],
                    new float[3],
                    new float[3],
                    new boolean[3],
                    new boolean[2]));
    assertEquals("timeouts must hold 3 flags, got 2", e.getMessage());
  }

  @Test
  void minariEpisodeRequiresTheFinalObservation() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MinariEpisode(
                    2,
                    1,
                    new float[4],
                    new float[2],
                    new float[2],
                    new boolean[2],
                    new boolean[2]));
    assertEquals("observations must hold (steps + 1) * obsDim = 6 floats, got 4", e.getMessage());
  }
}
