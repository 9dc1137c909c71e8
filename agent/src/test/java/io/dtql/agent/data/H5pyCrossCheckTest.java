package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads files written by real h5py the way D4RL and Minari write them: numpy bool flags (an HDF5
 * enum), float64 arrays, gzip-chunked datasets, string metadata and nested infos. Needs a Python
 * with h5py: system property {@code dtql.python}, else env {@code DTQL_PYTHON}, else the project
 * venv {@code python-env-server/.venv/bin/python}.
 */
@Tag("e2e")
class H5pyCrossCheckTest {
  private static final String SCRIPT =
      """
      import sys
      import h5py
      import numpy as np

      out = sys.argv[1]

      # D4RL medium-replay style: float64 arrays, numpy bool flags, gzip chunks, extra groups.
      n, obs_dim, act_dim = 9, 11, 3
      obs = np.array([[i + j / 100 for j in range(obs_dim)] for i in range(n)], dtype=np.float64)
      act = np.array([[-(i + j / 10) for j in range(act_dim)] for i in range(n)], dtype=np.float64)
      rew = np.array([i * 0.25 for i in range(n)], dtype=np.float64)
      terminals = np.zeros(n, dtype=bool)
      terminals[6] = True
      timeouts = np.zeros(n, dtype=bool)
      timeouts[3] = True
      with h5py.File(out + "/d4rl.hdf5", "w") as f:
          for key, value in [("observations", obs), ("actions", act), ("rewards", rew),
                             ("terminals", terminals), ("timeouts", timeouts),
                             ("next_observations", obs[::-1].copy())]:
              f.create_dataset(key, data=value, compression="gzip")
          f["metadata/algorithm"] = "SAC"
          f["metadata/iteration"] = np.int32(7)
          f.create_dataset("infos/qpos", data=np.ones((n, 6)), compression="gzip")
          f.create_dataset("infos/action_log_probs", data=np.zeros(n, dtype=np.float32))

      # float32 random/medium style with [N, 1] rewards and uint8 flags.
      with h5py.File(out + "/d4rl32.hdf5", "w") as f:
          f["observations"] = obs.astype(np.float32)
          f["actions"] = act.astype(np.float32)
          f["rewards"] = rew.astype(np.float32).reshape(n, 1)
          f["terminals"] = terminals.astype(np.uint8)
          f["timeouts"] = timeouts.astype(np.uint8)

      # The same behind a 512-byte user block: the superblock (version 0) starts at byte 512.
      with h5py.File(out + "/userblock.hdf5", "w", userblock_size=512) as f:
          f["observations"] = obs.astype(np.float32)
          f["actions"] = act.astype(np.float32)
          f["rewards"] = rew.astype(np.float32).reshape(n, 1)
          f["terminals"] = terminals.astype(np.uint8)
          f["timeouts"] = timeouts.astype(np.uint8)

      # Chunked float64 larger than one 65,536-row conversion block.
      big = 70_000
      with h5py.File(out + "/big.hdf5", "w") as f:
          f.create_dataset("observations", data=np.arange(big * 2, dtype=np.float64)
                           .reshape(big, 2) / 4, compression="gzip", chunks=(5000, 2))
          f.create_dataset("actions", data=np.zeros((big, 1)), compression="gzip")
          f.create_dataset("rewards", data=np.arange(big, dtype=np.float64), compression="gzip")
          f["terminals"] = np.zeros(big, dtype=bool)
          f["timeouts"] = np.zeros(big, dtype=bool)

      # Zero rows (jhdf cannot write empty arrays).
      with h5py.File(out + "/empty.hdf5", "w") as f:
          f["observations"] = np.zeros((0, obs_dim), dtype=np.float32)
          f["actions"] = np.zeros((0, act_dim), dtype=np.float32)
          f["rewards"] = np.zeros(0, dtype=np.float32)
          f["terminals"] = np.zeros(0, dtype=bool)
          f["timeouts"] = np.zeros(0, dtype=bool)

      # Minari: 11 episodes (episode_10 must follow episode_9), float64 observations, bool flags.
      def episode(group, e, steps, terminated):
          group["observations"] = np.array(
              [[e * 100 + t, -t] for t in range(steps + 1)], dtype=np.float64)
          group["actions"] = np.array([[e + t / 10] for t in range(steps)], dtype=np.float32)
          group["rewards"] = np.array([e * 10 + t for t in range(steps)], dtype=np.float64)
          terminations = np.zeros(steps, dtype=bool)
          truncations = np.zeros(steps, dtype=bool)
          if terminated:
              terminations[-1] = True
          else:
              truncations[-1] = True
          group["terminations"] = terminations
          group["truncations"] = truncations
          group["infos/success"] = terminations
          group["infos/nested/qpos"] = np.zeros((steps + 1, 4))
          group.attrs["id"] = e

      with h5py.File(out + "/minari/data/main_data.hdf5", "w") as f:
          for e in range(11):
              episode(f.create_group(f"episode_{e}"), e, 2 + e % 3, e % 2 == 0)
          f.attrs["total_steps"] = 0

      with h5py.File(out + "/maze.hdf5", "w") as f:
          g = f.create_group("episode_0")
          g["observations/observation"] = np.zeros((3, 4))
          g["observations/desired_goal"] = np.zeros((3, 2))
          g["actions"] = np.zeros((2, 2))
          g["rewards"] = np.zeros(2)
          g["terminations"] = np.zeros(2, dtype=bool)
          g["truncations"] = np.zeros(2, dtype=bool)
      """;

  @TempDir static Path dir;

  @BeforeAll
  static void writeFilesWithH5py() throws IOException, InterruptedException {
    Path python = python();
    Path script = dir.resolve("make_datasets.py");
    Files.writeString(script, SCRIPT.stripIndent(), StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("minari").resolve("data"));
    Process process =
        new ProcessBuilder(python.toString(), script.toString(), dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("h5py script timed out");
    }
    assertEquals(0, process.exitValue(), "h5py script failed with " + python + ":\n" + output);
  }

  private static Path python() throws IOException, InterruptedException {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("dtql.python");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    String env = System.getenv("DTQL_PYTHON");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(projectRoot().resolve("python-env-server/.venv/bin/python"));
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate) && hasH5py(candidate)) {
        return candidate;
      }
    }
    return fail(
        "no Python with h5py found among "
            + candidates
            + "; install h5py into the project venv or pass -Ddtql.python=/path/to/python");
  }

  private static boolean hasH5py(Path python) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(python.toString(), "-c", "import h5py").start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static Path projectRoot() {
    String property = System.getProperty("project.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("python-env-server"))) {
      dir = dir.getParent();
    }
    return dir == null ? Path.of(System.getProperty("user.dir")) : dir;
  }

  private static float obs(int i, int j) {
    return (float) (i + j / 100.0);
  }

  @Test
  void readsAD4rlFloat64FileWithNumpyBoolFlagsAndGzipChunks() {
    Transitions t = DatasetLoader.load(dir.resolve("d4rl.hdf5"), ExpectedShape.of(11, 3));

    int[] kept = {0, 1, 2, 4, 5, 6, 7};
    assertEquals(kept.length, t.size());
    for (int k = 0; k < kept.length; k++) {
      int i = kept[k];
      for (int j = 0; j < 11; j++) {
        assertEquals(obs(i, j), t.observations()[k * 11 + j], "s row " + i);
        // s' comes from the next observations row, not from the reversed next_observations key.
        assertEquals(obs(i + 1, j), t.nextObservations()[k * 11 + j], "s' row " + i);
      }
      for (int j = 0; j < 3; j++) {
        assertEquals((float) -(i + j / 10.0), t.actions()[k * 3 + j], "a row " + i);
      }
      assertEquals(i * 0.25f, t.rewards()[k], "r row " + i);
      assertEquals(i == 6 ? 1f : 0f, t.dones()[k], "done row " + i);
    }
  }

  @Test
  void readsAFloat32FileWithColumnRewardsAndUint8Flags() {
    Transitions wide = DatasetLoader.load(dir.resolve("d4rl.hdf5"), ExpectedShape.any());
    Transitions narrow = DatasetLoader.load(dir.resolve("d4rl32.hdf5"), ExpectedShape.any());

    assertArrayEquals(wide.observations(), narrow.observations());
    assertArrayEquals(wide.nextObservations(), narrow.nextObservations());
    assertArrayEquals(wide.actions(), narrow.actions());
    assertArrayEquals(wide.rewards(), narrow.rewards());
    assertArrayEquals(wide.dones(), narrow.dones());
  }

  @Test
  void readsAFileBehindAUserBlock() {
    Transitions plain = DatasetLoader.load(dir.resolve("d4rl32.hdf5"), ExpectedShape.any());
    Transitions behind = DatasetLoader.load(dir.resolve("userblock.hdf5"), ExpectedShape.any());

    assertArrayEquals(plain.observations(), behind.observations());
    assertArrayEquals(plain.dones(), behind.dones());
  }

  /**
   * h5py writes a version-0 superblock (96 bytes here: 24 fixed, four 8-byte addresses, the root
   * group's 40-byte symbol table entry); copies cut right after it, mid-file and one byte short are
   * refused, with and without a user block in front.
   */
  @Test
  void refusesTruncatedCopiesOfH5pyFiles() throws IOException {
    for (String name : List.of("d4rl32.hdf5", "userblock.hdf5", "d4rl.hdf5")) {
      Path valid = dir.resolve(name);
      long size = Files.size(valid);
      long superblockEnd = (name.startsWith("userblock") ? 512 : 0) + 96;
      for (long cut : new long[] {superblockEnd, size / 2, size - 1}) {
        Path copy = dir.resolve("cut-" + cut + "-" + name);
        Files.write(copy, Arrays.copyOf(Files.readAllBytes(valid), (int) cut));

        DatasetException e =
            assertThrows(
                DatasetException.class, () -> DatasetLoader.load(copy, ExpectedShape.any()));

        assertEquals(copy, e.file());
        for (String fragment :
            List.of(copy.toString(), "truncated", cut + " bytes", "ends at byte " + size)) {
          assertTrue(e.getMessage().contains(fragment), fragment + ": " + e.getMessage());
        }
      }
    }
  }

  @Test
  void narrowsChunkedFloat64AcrossConversionBlocks() {
    Transitions t = DatasetLoader.load(dir.resolve("big.hdf5"), ExpectedShape.of(2, 1));

    assertEquals(69_999, t.size());
    for (int row : new int[] {0, 4_999, 5_000, 65_535, 65_536, 69_998}) {
      assertEquals(row * 2 / 4f, t.observations()[2 * row], "s row " + row);
      assertEquals((row * 2 + 1) / 4f, t.observations()[2 * row + 1], "s row " + row);
      assertEquals((row + 1) * 2 / 4f, t.nextObservations()[2 * row], "s' row " + row);
      assertEquals(row, t.rewards()[row], "r row " + row);
    }
  }

  @Test
  void refusesAZeroRowFile() {
    Path file = dir.resolve("empty.hdf5");
    DatasetException e =
        assertThrows(DatasetException.class, () -> DatasetLoader.load(file, ExpectedShape.any()));
    assertEquals("observations", e.key().orElseThrow());
    assertTrue(
        e.getMessage().contains(file.toString()) && e.getMessage().contains("zero rows"),
        e.getMessage());
  }

  @Test
  void readsAMinariDatasetInNumericEpisodeOrder() {
    Transitions t = DatasetLoader.load(dir.resolve("minari"), ExpectedShape.of(2, 1));

    int row = 0;
    for (int e = 0; e < 11; e++) {
      int steps = 2 + e % 3;
      for (int s = 0; s < steps; s++, row++) {
        String where = "episode " + e + " step " + s;
        assertEquals(e * 100 + s, t.observations()[2 * row], where);
        assertEquals(-s, t.observations()[2 * row + 1], where);
        assertEquals(e * 100 + s + 1, t.nextObservations()[2 * row], where);
        assertEquals((float) (e + s / 10.0), t.actions()[row], where);
        assertEquals(e * 10 + s, t.rewards()[row], where);
        boolean terminal = s == steps - 1 && e % 2 == 0;
        assertEquals(terminal ? 1f : 0f, t.dones()[row], where);
      }
    }
    assertEquals(row, t.size());
  }

  @Test
  void refusesADictObservationMinariFile() {
    Path file = dir.resolve("maze.hdf5");
    DatasetException e =
        assertThrows(DatasetException.class, () -> DatasetLoader.load(file, ExpectedShape.any()));
    assertEquals("episode_0/observations", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("dict observations are not supported"), e.getMessage());
  }
}
