package io.dtql.agent.sac;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The replay buffer's contents on disk, so an online run resumes with the experience it had: an
 * append-only file of fixed-size float32 records (s, a, r, s', terminated) after a small header. A
 * checkpoint records how many rows were {@linkplain #sync() synced} when it was taken; resuming
 * reads exactly that many back and cuts off whatever a killed process appended after it.
 *
 * <pre>
 * header: magic "DTQLRPLY" | version (int) | obsDim (int) | actDim (int), little-endian
 * record: obs (obsDim floats) | action (actDim) | reward | next obs (obsDim) | terminated (0 or 1)
 * </pre>
 */
public final class ReplayLog implements AutoCloseable {
  private static final byte[] MAGIC = "DTQLRPLY".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = MAGIC.length + 3 * Integer.BYTES;
  private static final int BUFFER_BYTES = 1 << 16;

  private final Path file;
  private final FileChannel channel;
  private final int obsDim;
  private final int actDim;
  private final int recordBytes;
  private final ByteBuffer pending;
  private long rows;

  private ReplayLog(Path file, FileChannel channel, int obsDim, int actDim, long rows) {
    this.file = file;
    this.channel = channel;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.recordBytes = recordFloats(obsDim, actDim) * Float.BYTES;
    this.pending =
        ByteBuffer.allocate(Math.max(BUFFER_BYTES, recordBytes)).order(ByteOrder.LITTLE_ENDIAN);
    this.rows = rows;
  }

  private static int recordFloats(int obsDim, int actDim) {
    return 2 * obsDim + actDim + 2;
  }

  /** Creates a new, empty log; an existing file is an error (it belongs to another run). */
  public static ReplayLog create(Path file, int obsDim, int actDim) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putInt(VERSION).putInt(obsDim).putInt(actDim).flip();
    while (header.hasRemaining()) {
      channel.write(header);
    }
    return new ReplayLog(file, channel, obsDim, actDim, 0);
  }

  /**
   * Reopens a log for a resumed run: reads its first {@code rows} records into {@code buffer},
   * drops any records after them (appended after the checkpoint was taken) and appends from there.
   *
   * @throws IOException if the file is not a replay log of these dimensions or holds fewer rows
   */
  public static ReplayLog resume(Path file, long rows, ReplayBuffer buffer) throws IOException {
    int obsDim = buffer.obsDim();
    int actDim = buffer.actDim();
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, header, 0);
      header.flip();
      byte[] magic = new byte[MAGIC.length];
      header.get(magic);
      int version = header.remaining() >= 12 ? header.getInt() : -1;
      if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
        throw new IOException(file + " is not a replay log of this version");
      }
      int savedObs = header.getInt();
      int savedAct = header.getInt();
      if (savedObs != obsDim || savedAct != actDim) {
        throw new IOException(
            file
                + " holds transitions of obs-dim "
                + savedObs
                + " and act-dim "
                + savedAct
                + ", the run needs "
                + obsDim
                + " and "
                + actDim);
      }
      int floats = recordFloats(obsDim, actDim);
      long needed = HEADER_BYTES + rows * floats * Float.BYTES;
      if (channel.size() < needed) {
        throw new IOException(
            file
                + " holds "
                + (channel.size() - HEADER_BYTES) / ((long) floats * Float.BYTES)
                + " transitions but the checkpoint recorded "
                + rows);
      }
      readRows(channel, rows, floats, buffer);
      channel.truncate(needed);
      channel.position(needed);
      return new ReplayLog(file, channel, obsDim, actDim, rows);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void readRows(FileChannel channel, long rows, int floats, ReplayBuffer buffer)
      throws IOException {
    int obsDim = buffer.obsDim();
    int actDim = buffer.actDim();
    int perChunk = Math.max(1, BUFFER_BYTES / (floats * Float.BYTES));
    ByteBuffer chunk =
        ByteBuffer.allocate(perChunk * floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    float[] record = new float[floats];
    long position = HEADER_BYTES;
    for (long done = 0; done < rows; ) {
      int n = (int) Math.min(perChunk, rows - done);
      chunk.clear().limit(n * floats * Float.BYTES);
      readFully(channel, chunk, position);
      chunk.flip();
      for (int i = 0; i < n; i++) {
        chunk.asFloatBuffer().get(record);
        chunk.position(chunk.position() + floats * Float.BYTES);
        int next = obsDim + actDim + 1;
        buffer.add(
            record,
            0,
            record,
            obsDim,
            record[obsDim + actDim],
            record,
            next,
            record[floats - 1] != 0f);
      }
      position += (long) n * floats * Float.BYTES;
      done += n;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer target, long position)
      throws IOException {
    while (target.hasRemaining()) {
      int n = channel.read(target, position);
      if (n < 0) {
        throw new IOException("unexpected end of the replay log");
      }
      position += n;
    }
  }

  /** Appends one transition (buffered; {@link #sync} makes it durable). */
  public void append(
      float[] obs,
      int obsOffset,
      float[] act,
      int actOffset,
      float reward,
      float[] nextObs,
      int nextOffset,
      boolean terminated)
      throws IOException {
    if (pending.remaining() < recordBytes) {
      flush();
    }
    for (int i = 0; i < obsDim; i++) {
      pending.putFloat(obs[obsOffset + i]);
    }
    for (int i = 0; i < actDim; i++) {
      pending.putFloat(act[actOffset + i]);
    }
    pending.putFloat(reward);
    for (int i = 0; i < obsDim; i++) {
      pending.putFloat(nextObs[nextOffset + i]);
    }
    pending.putFloat(terminated ? 1f : 0f);
    rows++;
  }

  private void flush() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      channel.write(pending);
    }
    pending.clear();
  }

  /** Writes everything appended to disk and forces it there; returns the rows now durable. */
  public long sync() throws IOException {
    flush();
    channel.force(false);
    return rows;
  }

  public long rows() {
    return rows;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
