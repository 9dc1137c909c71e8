package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class D4rlDatasetReaderTest {
  @TempDir Path dir;

  private Transitions writeAndRead(D4rlData data, D4rlWriteOptions options) throws IOException {
    Path file = dir.resolve("data.hdf5");
    D4rlDatasetWriter.write(file, data, options);
    return D4rlDatasetReader.read(file, ExpectedShape.any());
  }

  /**
   * Seven rows, timeout at row 3, terminal at row 5: qlearning_dataset keeps i = 0, 1, 2, 4, 5 (3
   * is a timeout, 6 is the last row and has no successor).
   */
  private static void assertSevenRowTransitions(Transitions t) {
    assertEquals(5, t.size());
    assertEquals(2, t.obsDim());
    assertEquals(1, t.actDim());
    assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21, 40, 41, 50, 51}, t.observations());
    assertArrayEquals(new float[] {10, 11, 20, 21, 30, 31, 50, 51, 60, 61}, t.nextObservations());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 4.5f, 5.5f}, t.actions());
    assertArrayEquals(new float[] {0f, 1.5f, 3f, 6f, 7.5f}, t.rewards());
    assertArrayEquals(new float[] {0, 0, 0, 0, 1}, t.dones());
  }

  @ParameterizedTest
  @EnumSource(FloatPrecision.class)
  void buildsQlearningTransitionsSkippingTimeoutsAndTheLastRow(FloatPrecision precision)
      throws IOException {
    assertSevenRowTransitions(
        writeAndRead(Fixtures.sevenRows(), D4rlWriteOptions.defaults().withPrecision(precision)));
  }

  @ParameterizedTest
  @EnumSource(FlagEncoding.class)
  void readsEveryFlagEncoding(FlagEncoding encoding) throws IOException {
    assertSevenRowTransitions(
        writeAndRead(Fixtures.sevenRows(), D4rlWriteOptions.defaults().withFlagEncoding(encoding)));
  }

  @Test
  void ignoresInfosMetadataAndStoredNextObservations() throws IOException {
    D4rlWriteOptions options =
        D4rlWriteOptions.defaults()
            .withPrecision(FloatPrecision.FLOAT64)
            .withNextObservations(true)
            .withMetadata(Map.of("algorithm", "SAC", "policy/fc0/name", "weight"))
            .withInfos(Map.of("qpos", Fixtures.matrix(7, 3), "goal", Fixtures.matrix(7, 2)));
    assertSevenRowTransitions(writeAndRead(Fixtures.sevenRows(), options));
  }

  @Test
  void treatsMissingTimeoutsAsNeverTimedOut() throws IOException {
    Transitions t =
        writeAndRead(Fixtures.sevenRows(), D4rlWriteOptions.defaults().withTimeouts(false));

    // Without timeouts only the last row is dropped: i = 0..5.
    assertEquals(6, t.size());
    assertArrayEquals(new float[] {30, 31}, Arrays.copyOfRange(t.observations(), 6, 8));
    assertArrayEquals(new float[] {40, 41}, Arrays.copyOfRange(t.nextObservations(), 6, 8));
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1}, t.dones());
  }

  @Test
  void skipsARowThatIsBothTerminalAndTimedOutAsQlearningDatasetDoes() throws IOException {
    D4rlData data = Fixtures.sevenRows();
    data.terminals()[3] = true;

    Transitions t = writeAndRead(data, D4rlWriteOptions.defaults());

    // Row 3 is still skipped: d4rl checks the timeout first.
    assertEquals(5, t.size());
    assertArrayEquals(new float[] {0, 0, 0, 0, 1}, t.dones());
  }

  @Test
  void keepsEveryTransitionButTheLastWhenNothingTimesOut() throws IOException {
    Transitions t = writeAndRead(Fixtures.rows(50, 3, 2), D4rlWriteOptions.defaults());

    assertEquals(49, t.size());
    assertEquals(48 * 3 * 0.25f, t.observations()[48 * 3]);
    assertEquals(49 * 3 * 0.25f, t.nextObservations()[48 * 3]);
    assertEquals(-(48 * 2 + 1) * 0.5f, t.actions()[48 * 2 + 1]);
    assertEquals(48f, t.rewards()[48]);
  }

  @Test
  void acceptsRewardsAndFlagsStoredAsColumnVectors() {
    Path file =
        Fixtures.hdf(
            dir.resolve("columns.hdf5"),
            hdf -> {
              hdf.putDataset("observations", Fixtures.matrix(4, 2));
              hdf.putDataset("actions", Fixtures.matrix(4, 1));
              hdf.putDataset("rewards", new double[][] {{1}, {2}, {3}, {4}});
              hdf.putDataset("terminals", new float[][] {{0}, {1}, {0}, {0}});
              hdf.putDataset("timeouts", new byte[][] {{0}, {0}, {1}, {0}});
            });

    Transitions t = D4rlDatasetReader.read(file, ExpectedShape.of(2, 1));

    assertEquals(2, t.size());
    assertArrayEquals(new float[] {1, 2}, t.rewards());
    assertArrayEquals(new float[] {0, 1}, t.dones());
    assertArrayEquals(new float[] {2, 3, 4, 5}, t.nextObservations());
  }

  @Test
  void readsFloat64ColumnsLargerThanOneConversionBlock() throws IOException {
    // 70,000 rows span two 65,536-row conversion blocks; check values on both sides.
    Transitions t =
        writeAndRead(
            Fixtures.rows(70_000, 2, 1),
            D4rlWriteOptions.defaults().withPrecision(FloatPrecision.FLOAT64));

    assertEquals(69_999, t.size());
    assertEquals(65_535 * 2 * 0.25f, t.observations()[65_535 * 2]);
    assertEquals(65_536 * 2 * 0.25f + 0.25f, t.observations()[65_536 * 2 + 1]);
    assertEquals(69_999 * 2 * 0.25f, t.nextObservations()[69_998 * 2]);
    assertEquals(65_537f, t.rewards()[65_537]);
  }
}
