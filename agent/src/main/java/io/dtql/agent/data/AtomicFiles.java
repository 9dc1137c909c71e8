package io.dtql.agent.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written dataset (a crash mid-write during data collection must not leave a file that later
 * loads as a shorter, silently truncated dataset).
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a complete file at the given path, which does not exist yet or may be overwritten. */
  @FunctionalInterface
  interface FileWriter {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Runs {@code writer} on a temporary file in {@code target}'s directory (same file system, so the
   * final move can be atomic), then moves it over {@code target}. On any failure the temporary file
   * is deleted and {@code target} is left untouched.
   */
  static void write(Path target, FileWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      writer.writeTo(temp);
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
