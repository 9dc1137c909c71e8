package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a dataset can be unusable fails with a message naming the file and the key. */
class DatasetValidationTest {
  @TempDir Path dir;

  /** A valid four-row D4RL file (obs 3, act 2) with one part replaced by the caller. */
  private Path d4rl(String name, Consumer<WritableHdfFile> override, String... omit) {
    java.util.Set<String> skipped = java.util.Set.of(omit);
    return Fixtures.hdf(
        dir.resolve(name),
        hdf -> {
          if (!skipped.contains("observations")) {
            hdf.putDataset("observations", Fixtures.matrix(4, 3));
          }
          if (!skipped.contains("actions")) {
            hdf.putDataset("actions", Fixtures.matrix(4, 2));
          }
          if (!skipped.contains("rewards")) {
            hdf.putDataset("rewards", Fixtures.vector(4));
          }
          if (!skipped.contains("terminals")) {
            hdf.putDataset("terminals", new boolean[4]);
          }
          if (!skipped.contains("timeouts")) {
            hdf.putDataset("timeouts", new boolean[4]);
          }
          override.accept(hdf);
        });
  }

  private static DatasetException loadFails(Path file, ExpectedShape expected) {
    DatasetException e =
        assertThrows(DatasetException.class, () -> DatasetLoader.load(file, expected));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    assertEquals(file, e.file());
    return e;
  }

  private static DatasetException loadFails(Path file) {
    return loadFails(file, ExpectedShape.any());
  }

  private static void assertKey(DatasetException e, String key) {
    assertEquals(key, e.key().orElseThrow(() -> new AssertionError("no key: " + e.getMessage())));
    assertTrue(e.getMessage().contains("'" + key + "'"), "names the key: " + e.getMessage());
  }

  private static void assertMentions(DatasetException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "mentions " + fragment + ": " + e.getMessage());
    }
  }

  @Test
  void theValidBaseFileLoads() {
    assertEquals(3, DatasetLoader.load(d4rl("ok.hdf5", hdf -> {}), ExpectedShape.of(3, 2)).size());
  }

  @Test
  void missingFile() {
    DatasetException e = loadFails(dir.resolve("absent.hdf5"));
    assertMentions(e, "does not exist");
    assertFalse(e.key().isPresent());
  }

  @Test
  void textFileIsNotHdf5() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.hdf5"), "observations,actions\n1,2\n");
    assertMentions(loadFails(file), "not a readable HDF5 file");
  }

  @Test
  void emptyFile() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.hdf5"));
    assertMentions(loadFails(file), "empty");
  }

  @Test
  void fileWithNeitherLayout() {
    Path file = Fixtures.hdf(dir.resolve("other.hdf5"), hdf -> hdf.putDataset("x", new float[3]));
    DatasetException e = loadFails(file);
    assertKey(e, "observations");
    assertMentions(e, "neither a D4RL file", "Minari");
  }

  @Test
  void fewerThanTwoRows() {
    Path file =
        Fixtures.hdf(
            dir.resolve("one.hdf5"),
            hdf -> {
              hdf.putDataset("observations", Fixtures.matrix(1, 3));
              hdf.putDataset("actions", Fixtures.matrix(1, 2));
              hdf.putDataset("rewards", Fixtures.vector(1));
              hdf.putDataset("terminals", new boolean[1]);
              hdf.putDataset("timeouts", new boolean[1]);
            });
    DatasetException e = loadFails(file);
    assertKey(e, "observations");
    assertMentions(e, "at least 2");
  }

  @Test
  void missingKey() {
    DatasetException e = loadFails(d4rl("noact.hdf5", hdf -> {}, "actions"));
    assertKey(e, "actions");
    assertMentions(e, "missing key");
    assertKey(loadFails(d4rl("noterm.hdf5", hdf -> {}, "terminals")), "terminals");
    assertKey(loadFails(d4rl("norew.hdf5", hdf -> {}, "rewards")), "rewards");
  }

  @Test
  void observationsAsAGroup() {
    Path file =
        d4rl(
            "group.hdf5",
            hdf -> hdf.putGroup("observations").putDataset("pos", Fixtures.matrix(4, 3)),
            "observations");
    // Not detected as D4RL (no observations dataset) and not Minari either.
    assertKey(loadFails(file), "observations");
    DatasetException direct =
        assertThrows(
            DatasetException.class, () -> D4rlDatasetReader.read(file, ExpectedShape.any()));
    assertKey(direct, "observations");
    assertMentions(direct, "is a group");
  }

  @Test
  void mismatchedLengthsNameBothKeysAndBothLengths() {
    DatasetException e =
        loadFails(
            d4rl("short.hdf5", hdf -> hdf.putDataset("rewards", Fixtures.vector(3)), "rewards"));
    assertKey(e, "rewards");
    assertMentions(e, "3 rows", "'observations' has 4");

    DatasetException t =
        loadFails(d4rl("shortto.hdf5", hdf -> hdf.putDataset("timeouts", new byte[5]), "timeouts"));
    assertKey(t, "timeouts");
    assertMentions(t, "5 rows", "'observations' has 4");
  }

  @Test
  void wrongRank() {
    DatasetException obs =
        loadFails(
            d4rl(
                "flatobs.hdf5",
                hdf -> {
                  hdf.putDataset("observations", Fixtures.vector(4));
                },
                "observations"));
    assertKey(obs, "observations");
    assertMentions(obs, "rank 1", "expected rank 2");

    DatasetException rew =
        loadFails(
            d4rl(
                "widerew.hdf5",
                hdf -> hdf.putDataset("rewards", Fixtures.matrix(4, 3)),
                "rewards"));
    assertKey(rew, "rewards");
    assertMentions(rew, "[4, 3]");
  }

  @Test
  void wrongDimensionsForTheTask() {
    Path file = d4rl("walker.hdf5", hdf -> {});
    DatasetException obs = loadFails(file, ExpectedShape.of(11, 2));
    assertKey(obs, "observations");
    assertMentions(obs, "width 3 but the task expects 11");
    DatasetException act = loadFails(file, ExpectedShape.of(3, 6));
    assertKey(act, "actions");
    assertMentions(act, "width 2 but the task expects 6");
  }

  @Test
  void nanOrInfNamesKeyAndFirstBadRow() {
    float[][] obs = Fixtures.matrix(4, 3);
    obs[2][1] = Float.NaN;
    obs[3][0] = Float.NaN;
    DatasetException nan =
        loadFails(d4rl("nan.hdf5", hdf -> hdf.putDataset("observations", obs), "observations"));
    assertKey(nan, "observations");
    assertMentions(nan, "NaN", "row 2");

    double[] rewards = {0, 1, Double.POSITIVE_INFINITY, 3};
    DatasetException inf =
        loadFails(d4rl("inf.hdf5", hdf -> hdf.putDataset("rewards", rewards), "rewards"));
    assertKey(inf, "rewards");
    assertMentions(inf, "Infinity", "row 2");

    double[][] huge = {{0, 0}, {0, 0}, {0, 0}, {1e300, 0}};
    DatasetException narrowed =
        loadFails(d4rl("huge.hdf5", hdf -> hdf.putDataset("actions", huge), "actions"));
    assertKey(narrowed, "actions");
    assertMentions(narrowed, "row 3", "narrowing");
  }

  @Test
  void unsupportedDtype() {
    int[][] intObs = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
    DatasetException obs =
        loadFails(
            d4rl("intobs.hdf5", hdf -> hdf.putDataset("observations", intObs), "observations"));
    assertKey(obs, "observations");
    assertMentions(obs, "unsupported dtype", "float32 or float64");

    String[] words = {"no", "no", "yes", "no"};
    DatasetException flags =
        loadFails(d4rl("strflags.hdf5", hdf -> hdf.putDataset("terminals", words), "terminals"));
    assertKey(flags, "terminals");
    assertMentions(flags, "unsupported dtype");
  }

  @Test
  void noTransitionsLeftAfterSkippingTimeouts() {
    boolean[] allTimeouts = {true, true, true, false};
    DatasetException e =
        loadFails(
            d4rl("timeouts.hdf5", hdf -> hdf.putDataset("timeouts", allTimeouts), "timeouts"));
    assertKey(e, "timeouts");
    assertMentions(e, "no transitions left");
  }

  @Test
  void minariFileWithoutEpisodes() {
    Path file = Fixtures.hdf(dir.resolve("main_data.hdf5"), hdf -> hdf.putGroup("metadata"));
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> MinariDatasetReader.read(file, ExpectedShape.any()));
    assertKey(e, "episode_0");
    assertMentions(e, file.toString(), "no 'episode_<n>' groups");
  }
}
