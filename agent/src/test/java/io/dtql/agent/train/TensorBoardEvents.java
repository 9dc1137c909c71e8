package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the event files {@link TensorBoardWriter} writes, independently of it: TFRecord framing
 * with both CRCs checked, and the Event, Summary, Value and SessionLog fields decoded with
 * protobuf's CodedInputStream. Shared with the command tests.
 */
public final class TensorBoardEvents {
  private TensorBoardEvents() {}

  /**
   * One decoded Event.
   *
   * @param fileVersion null when absent
   * @param sessionStatus the SessionLog status, 0 when there is none (1 = START)
   * @param scalars the summary's tags and simple values, in file order
   */
  public record Event(
      double wallTime,
      long step,
      String fileVersion,
      int sessionStatus,
      Map<String, Float> scalars) {}

  /** Reads every record of an events file, checking both CRCs of each, and decodes its Event. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] lengthBytes = new byte[8];
      in.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(maskedCrc(lengthBytes), in.getInt(), "length CRC");
      byte[] data = new byte[Math.toIntExact(length)];
      in.get(data);
      assertEquals(maskedCrc(data), in.getInt(), "data CRC");
      events.add(decodeEvent(data));
    }
    return events;
  }

  /** TFRecord's masked CRC-32C, written out again here rather than taken from the writer. */
  private static int maskedCrc(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    return Integer.rotateRight((int) crc.getValue(), 15) + 0xa282ead8;
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
