package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

  /** One decoded Event; fields that were absent are null (status 0 = no session log). */
  record Event(
      double wallTime,
      long step,
      String fileVersion,
      int sessionStatus,
      Map<String, Float> scalars) {}

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

    List<Event> events = readEvents(file);
    assertEquals(4, events.size());
    Event version = events.get(0);
    assertEquals(TensorBoardWriter.FILE_VERSION, version.fileVersion());
    assertEquals(1_700_000_000.5, version.wallTime());
    Event start = events.get(1);
    assertEquals(1, start.sessionStatus(), "SessionLog.START");
    assertEquals(1, start.step(), "a new run starts at step 1");

    Event first = events.get(2);
    assertEquals(10, first.step());
    assertEquals(1_700_000_000.5, first.wallTime());
    Map<String, Float> expected = new LinkedHashMap<>();
    expected.put("wall_time_s", 1.5f);
    expected.put("charts/steps_per_s", 200f);
    expected.put("losses/critic", 0.75f);
    assertEquals(expected, first.scalars());
    assertNull(first.fileVersion());

    Event second = events.get(3);
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
      List<Event> events = readEvents(writer.file());
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
    assertEquals(6, readEvents(files.get(0)).size(), "the first file is left as it was");
    List<Event> resumed = readEvents(files.get(1));
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

  /** Reads every record of an events file, checking both CRCs of each, and decodes its Event. */
  static List<Event> readEvents(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] lengthBytes = new byte[8];
      in.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(TensorBoardWriter.maskedCrc32c(lengthBytes, 0, 8), in.getInt(), "length CRC");
      byte[] data = new byte[Math.toIntExact(length)];
      in.get(data);
      assertEquals(TensorBoardWriter.maskedCrc32c(data, 0, data.length), in.getInt(), "data CRC");
      events.add(decodeEvent(data));
    }
    return events;
  }

  private static Event decodeEvent(byte[] data) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(data);
    double wallTime = 0;
    long step = 0;
    String fileVersion = null;
    int sessionStatus = 0;
    Map<String, Float> scalars = new LinkedHashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> wallTime = in.readDouble();
        case 2 -> step = in.readInt64();
        case 3 -> fileVersion = in.readString();
        case 5 -> decodeSummary(in.readBytes().toByteArray(), scalars);
        case 7 -> sessionStatus = decodeSessionStatus(in.readBytes().toByteArray());
        default -> throw new AssertionError("unexpected Event field in tag " + tag);
      }
    }
    return new Event(wallTime, step, fileVersion, sessionStatus, scalars);
  }

  private static void decodeSummary(byte[] summary, Map<String, Float> scalars) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(summary);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      assertEquals(1, WireFormat.getTagFieldNumber(tag), "Summary.value");
      CodedInputStream value = CodedInputStream.newInstance(in.readBytes().toByteArray());
      String name = null;
      Float simpleValue = null;
      for (int field = value.readTag(); field != 0; field = value.readTag()) {
        switch (WireFormat.getTagFieldNumber(field)) {
          case 1 -> name = value.readString();
          case 2 -> simpleValue = value.readFloat();
          default -> throw new AssertionError("unexpected Value field in tag " + field);
        }
      }
      scalars.put(name, simpleValue);
    }
  }

  private static int decodeSessionStatus(byte[] sessionLog) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(sessionLog);
    int status = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      assertEquals(1, WireFormat.getTagFieldNumber(tag), "SessionLog.status");
      status = in.readEnum();
    }
    return status;
  }
}
