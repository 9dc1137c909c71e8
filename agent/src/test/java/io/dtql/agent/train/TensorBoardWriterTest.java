package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 500_000_000), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void rowsReadBackWithBothChecksumsAndEveryTagStepAndValue() throws IOException {
    Path file;
    try (TensorBoardWriter writer = TensorBoardWriter.open(dir, 0, CLOCK, "host")) {
      file = writer.file();
      writer.record(new MetricsRow(10, 1.5, 200.0, Map.of("losses/critic", 0.75)));
      Map<String, Double> later = new LinkedHashMap<>();
      later.put("losses/critic", 0.5);
      later.put("losses/actor", -3.25);
      later.put("eval/normalized_mean", 41.0);
      writer.record(new MetricsRow(20, 3.0, 100.0, later));
    }
    assertEquals("events.out.tfevents.1700000000.host", file.getFileName().toString());

    List<TensorBoardEvents.Event> events = TensorBoardEvents.read(file);
    assertEquals(4, events.size());
    TensorBoardEvents.Event version = events.get(0);
    assertEquals(TensorBoardWriter.FILE_VERSION, version.fileVersion());
    assertEquals(1_700_000_000.5, version.wallTime());
    TensorBoardEvents.Event start = events.get(1);
    assertEquals(1, start.sessionStatus(), "SessionLog.START");
    assertEquals(1, start.step(), "a new run starts at step 1");

    TensorBoardEvents.Event first = events.get(2);
    assertEquals(10, first.step());
    assertEquals(1_700_000_000.5, first.wallTime());
    Map<String, Float> expected = new LinkedHashMap<>();
    expected.put("wall_time_s", 1.5f);
    expected.put("charts/steps_per_s", 200f);
    expected.put("losses/critic", 0.75f);
    assertEquals(expected, first.scalars());
    assertNull(first.fileVersion());

    TensorBoardEvents.Event second = events.get(3);
    assertEquals(20, second.step());
    assertEquals(
        Map.of(
            "wall_time_s", 3f,
            "charts/steps_per_s", 100f,
            "losses/actor", -3.25f,
            "losses/critic", 0.5f,
            "eval/normalized_mean", 41f),
        second.scalars());
  }

  /**
   * The same events as TensorBoard's own Python writer produces (tensorboard 2.21, RecordWriter
   * over event_pb2.Event(...).SerializeToString()), byte for byte: framing, both masked CRCs and
   * the protobuf encoding.
   */
  @Test
  void bytesEqualThoseOfTensorBoardsOwnWriter() {
    double wallTime = 1_700_000_000.5;
    assertHex(
        "1800000000000000a37f4b220900002040fc54d9411a0d627261696e2e4576656e743a322b353110",
        TensorBoardWriter.record(TensorBoardWriter.fileVersionEvent(wallTime)));
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("losses/critic", 0.25);
    scalars.put("eval/normalized_mean", -1.5);
    assertHex(
        "40000000000000002817f4950900002040fc54d94110072a330a140a0d6c6f737365732f6372697469631500"
            + "00803e0a1b0a146576616c2f6e6f726d616c697a65645f6d65616e150000c0bfa43f88c2",
        TensorBoardWriter.record(TensorBoardWriter.scalarsEvent(wallTime, 7, scalars)));
    assertHex(
        "0f000000000000006d532b090900002040fc54d941101f3a020801217f8372",
        TensorBoardWriter.record(TensorBoardWriter.sessionStartEvent(wallTime, 31)));
  }

  @Test
  void eachRowIsOnDiskBeforeTheWriterCloses() throws IOException {
    try (TensorBoardWriter writer = TensorBoardWriter.open(dir, 0, CLOCK, "host")) {
      writer.record(new MetricsRow(5, 1.0, 10.0, Map.of("losses/bc", 2.0)));
      List<TensorBoardEvents.Event> events = TensorBoardEvents.read(writer.file());
      assertEquals(3, events.size());
      assertEquals(5, events.get(2).step());
    }
  }

  @Test
  void aResumeStartsANewFileThatSortsAfterTheFirstAndRestartsAfterTheResumedStep()
      throws IOException {
    try (TensorBoardWriter writer = TensorBoardWriter.open(dir, 0, CLOCK, "host")) {
      for (long step = 10; step <= 40; step += 10) {
        writer.record(new MetricsRow(step, step, 1.0, Map.of("losses/critic", (double) step)));
      }
    }
    // The same second: the new file gets a suffix.
    try (TensorBoardWriter writer = TensorBoardWriter.open(dir, 25, CLOCK, "host")) {
      writer.record(new MetricsRow(30, 30, 1.0, Map.of("losses/critic", -30.0)));
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.sorted().toList(); // TensorBoard reads them in name order
    }
    assertEquals(
        List.of("events.out.tfevents.1700000000.host", "events.out.tfevents.1700000000.host.1"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    assertEquals(
        6, TensorBoardEvents.read(files.get(0)).size(), "the first file is left as it was");
    List<TensorBoardEvents.Event> resumed = TensorBoardEvents.read(files.get(1));
    assertEquals(TensorBoardWriter.FILE_VERSION, resumed.get(0).fileVersion());
    assertEquals(1, resumed.get(1).sessionStatus());
    assertEquals(26, resumed.get(1).step(), "drops what the first file logged after step 25");
    assertEquals(30, resumed.get(2).step());
    assertEquals(-30f, resumed.get(2).scalars().get("losses/critic"));
  }

  @Test
  void maskedCrcIsTheCastagnoliCrcRotatedAndOffset() {
    // CRC-32C("123456789") = 0xe3069283, the standard check value of the Castagnoli polynomial.
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int crc = 0xe3069283;
    assertEquals(
        Integer.rotateRight(crc, 15) + 0xa282ead8,
        TensorBoardWriter.maskedCrc32c(check, 0, check.length));
  }

  private static void assertHex(String expected, byte[] actual) {
    assertArrayEquals(HexFormat.of().parseHex(expected), actual, HexFormat.of().formatHex(actual));
  }
}
