package io.dtql.agent.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers see either the old complete file or the new complete file, never a
 * partial one, even when the process dies mid-write: the bytes go to a temporary file in the same
 * directory (so the rename stays on one file system), are forced to disk, and the temporary file is
 * then renamed over the target in one atomic step. Used for checkpoints, run files and datasets (a
 * crash mid-write must not leave a dataset that later loads as a shorter, silently truncated one).
 */
public final class AtomicFiles {
  /** Prefix and suffix of the temporary files; a killed writer may leave one behind. */
  static final String TEMP_PREFIX = ".";

  static final String TEMP_SUFFIX = ".tmp";

  /** Produces a file's contents as a stream. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes a complete file at a path it is given (for libraries that write files by path). */
  @FunctionalInterface
  public interface FileWriter {
    void writeTo(Path file) throws IOException;
  }

  private AtomicFiles() {}

  public static void write(Path target, byte[] contents) throws IOException {
    write(target, out -> out.write(contents));
  }

  public static void write(Path target, ContentWriter writer) throws IOException {
    writeFile(
        target,
        temp -> {
          try (OutputStream out =
              new BufferedOutputStream(
                  Files.newOutputStream(temp, StandardOpenOption.WRITE), 1 << 16)) {
            writer.writeTo(out);
          }
        });
  }

  /**
   * Runs {@code writer} on a temporary file beside {@code target}, forces it to disk and renames it
   * over {@code target}. On any failure the temporary file is deleted and {@code target} is left as
   * it was.
   */
  public static void writeFile(Path target, FileWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, TEMP_PREFIX + absolute.getFileName(), TEMP_SUFFIX);
    boolean moved = false;
    try {
      writer.writeTo(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      forceDirectory(directory);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Makes the rename itself durable; some platforms cannot open a directory, which is harmless. */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The data is already durable; only the directory entry's durability is best effort here.
    }
  }

  /** True for a temporary file this class creates (a killed writer may leave one behind). */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
  }
}
