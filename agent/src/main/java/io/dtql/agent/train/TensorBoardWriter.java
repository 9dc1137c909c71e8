package io.dtql.agent.train;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * TensorBoard event files, for {@code tensorboard --logdir RUN/tensorboard}: each metrics row
 * becomes one event at the row's step whose summary holds one scalar per column (tag = the column's
 * name, e.g. {@code losses/critic}, {@code eval/normalized_mean}), flushed as it is written so a
 * running TensorBoard sees progress.
 *
 * <p>The format is TensorFlow's, written here with protobuf's {@link CodedOutputStream} (no
 * TensorFlow library, whose Java bindings need a native runtime of hundreds of MB):
 *
 * <ul>
 *   <li>file {@code events.out.tfevents.<unix seconds>.<host name>}, a sequence of records;
 *   <li>record: the data's length as uint64, the masked CRC-32C of those 8 bytes as uint32, the
 *       data, the masked CRC-32C of the data as uint32 (integers little-endian; see {@link
 *       #maskedCrc32c});
 *   <li>data: one serialized {@code Event} message. Only these fields are written:
 *       <pre>
 * message Event   { double wall_time = 1; int64 step = 2; string file_version = 3;
 *                   Summary summary = 5; SessionLog session_log = 7; }
 * message Summary { repeated Value value = 1; }
 * message Value   { string tag = 1; float simple_value = 2; }
 * message SessionLog { SessionStatus status = 1; }   // START = 1</pre>
 * </ul>
 *
 * The first event of a file names the format version ({@value #FILE_VERSION}); the second is a
 * session start (below); every row after that is a summary event. As protobuf's own serializers do,
 * a field at its default value (step 0) is left out.
 *
 * <p>Resuming: every process writes a new file (TensorBoard reads all event files of a directory,
 * in name order, which is time order). Its session-start event carries step {@code resumedStep +
 * 1}: TensorBoard takes it as a restart and drops the scalars that earlier files logged at that
 * step or later, i.e. the rows of the interrupted process that the resumed run logs again, as the
 * JSONL and CSV writers drop them from their files. The resumed run itself skips nothing.
 */
public final class TensorBoardWriter implements MetricsSink {
  public static final String FILE_VERSION = "brain.Event:2";
  static final String FILE_PREFIX = "events.out.tfevents.";

  /** Event fields. */
  static final int WALL_TIME = 1;

  static final int STEP = 2;
  static final int FILE_VERSION_FIELD = 3;
  static final int SUMMARY = 5;
  static final int SESSION_LOG = 7;

  /** Summary.value, Value.tag, Value.simple_value, SessionLog.status and its START value. */
  static final int SUMMARY_VALUE = 1;

  static final int VALUE_TAG = 1;
  static final int VALUE_SIMPLE_VALUE = 2;
  static final int SESSION_LOG_STATUS = 1;
  static final int SESSION_START = 1;

  private final Path file;
  private final OutputStream out;
  private final Clock clock;

  private TensorBoardWriter(Path file, OutputStream out, Clock clock) {
    this.file = file;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Creates {@code directory} if needed and starts a new events file in it.
   *
   * @param resumedStep the step this process continues from (0 for a new run)
   */
  public static TensorBoardWriter open(Path directory, long resumedStep) throws IOException {
    return open(directory, resumedStep, Clock.systemUTC(), hostName());
  }

  /** As {@link #open(Path, long)} with the clock and host name given (for tests). */
  static TensorBoardWriter open(Path directory, long resumedStep, Clock clock, String host)
      throws IOException {
    Files.createDirectories(directory);
    Instant now = clock.instant();
    String name = FILE_PREFIX + now.getEpochSecond() + "." + host;
    // A second process in the same second (a quick resume) gets name.1, name.2, ...: these sort
    // after the first, so TensorBoard still reads the files in the order they were written.
    Path file = directory.resolve(name);
    OutputStream stream = null;
    for (int attempt = 1; stream == null; attempt++) {
      try {
        stream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 1000) {
          throw taken;
        }
        file = directory.resolve(name + "." + attempt);
      }
    }
    TensorBoardWriter writer = new TensorBoardWriter(file, new BufferedOutputStream(stream), clock);
    try {
      writer.write(fileVersionEvent(seconds(now)));
      writer.write(sessionStartEvent(seconds(now), resumedStep + 1));
      writer.out.flush();
    } catch (IOException | RuntimeException e) {
      writer.out.close();
      throw e;
    }
    return writer;
  }

  /** The events file this writer appends to. */
  public Path file() {
    return file;
  }

  @Override
  public void record(MetricsRow row) throws IOException {
    Map<String, Double> scalars = new java.util.LinkedHashMap<>(row.columns());
    scalars.remove(MetricsRow.STEP); // the event's step
    write(scalarsEvent(seconds(clock.instant()), row.step(), scalars));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void write(byte[] event) throws IOException {
    out.write(record(event));
  }

  /** One TFRecord: length, masked CRC of the length, the data, masked CRC of the data. */
  static byte[] record(byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(data.length);
    buffer.putInt(maskedCrc32c(buffer.array(), 0, 8));
    buffer.put(data);
    buffer.putInt(maskedCrc32c(data, 0, data.length));
    return buffer.array();
  }

  /**
   * The CRC-32C (Castagnoli) of the bytes, rotated right by 15 bits plus 0xa282ead8, as TFRecord
   * stores it (the mask keeps a CRC of data that itself holds CRCs from being trivially zero).
   */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc32c = new CRC32C();
    crc32c.update(bytes, offset, length);
    int crc = (int) crc32c.getValue();
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  /** The first event of every file: the format version. */
  static byte[] fileVersionEvent(double wallTime) {
    return message(
        event -> {
          event.writeDouble(WALL_TIME, wallTime);
          event.writeString(FILE_VERSION_FIELD, FILE_VERSION);
        });
  }

  /** A session (re)start: TensorBoard drops what earlier files logged at {@code step} or later. */
  static byte[] sessionStartEvent(double wallTime, long step) {
    byte[] sessionLog = message(log -> log.writeEnum(SESSION_LOG_STATUS, SESSION_START));
    return message(
        event -> {
          writeHeader(event, wallTime, step);
          event.writeByteArray(SESSION_LOG, sessionLog);
        });
  }

  /** A summary of one scalar per entry (tag = key), at {@code step}. */
  static byte[] scalarsEvent(double wallTime, long step, Map<String, Double> scalars) {
    byte[] summary =
        message(
            s -> {
              for (Map.Entry<String, Double> scalar : scalars.entrySet()) {
                byte[] value =
                    message(
                        v -> {
                          v.writeString(VALUE_TAG, scalar.getKey());
                          v.writeFloat(VALUE_SIMPLE_VALUE, scalar.getValue().floatValue());
                        });
                s.writeByteArray(SUMMARY_VALUE, value); // an embedded message is length + bytes
              }
            });
    return message(
        event -> {
          writeHeader(event, wallTime, step);
          event.writeByteArray(SUMMARY, summary);
        });
  }

  private static void writeHeader(CodedOutputStream event, double wallTime, long step)
      throws IOException {
    event.writeDouble(WALL_TIME, wallTime);
    if (step != 0) {
      event.writeInt64(STEP, step);
    }
  }

  /** Fields written by {@code body}, in the order it writes them. */
  @FunctionalInterface
  private interface MessageBody {
    void writeTo(CodedOutputStream message) throws IOException;
  }

  private static byte[] message(MessageBody body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(bytes);
    try {
      body.writeTo(coded);
      coded.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  /** This machine's name as a file-name part; "localhost" when it cannot be found. */
  static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      name = "localhost";
    }
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "localhost" : safe;
  }
}
