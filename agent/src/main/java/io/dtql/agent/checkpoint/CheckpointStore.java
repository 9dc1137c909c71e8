package io.dtql.agent.checkpoint;

import io.dtql.agent.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's {@code checkpoints/} directory: one {@code step-NNNNNNNNN.ckpt} file per saved step and a
 * one-line {@code latest} file naming the newest, both written atomically. When the pointer is
 * missing (for example a copy of the directory without it) the highest step wins.
 *
 * <p>Retention: a store that keeps K checkpoints deletes older ones only after a save has put the
 * new file and the pointer durably on disk, and then keeps the K highest steps at or below the
 * saved one. Files of later steps (left by a run resumed from an earlier checkpoint) are not
 * touched; the resumed run overwrites them when it gets there. So the checkpoint a run resumed from
 * is deleted only once a newer one exists.
 */
public final class CheckpointStore {
  public static final String DIRECTORY_NAME = "checkpoints";
  static final String LATEST_POINTER = "latest";
  private static final Pattern FILE_NAME = Pattern.compile("step-(\\d+)\\.ckpt");
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  /** {@link #keeping} value that keeps every checkpoint. */
  public static final int KEEP_ALL = 0;

  private final Path directory;
  private final int keep;

  private CheckpointStore(Path directory, int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep-checkpoints must be >= 0, got " + keep);
    }
    this.directory = directory;
    this.keep = keep;
  }

  /** The store of a run directory, i.e. {@code runDir/checkpoints}, keeping every checkpoint. */
  public static CheckpointStore inRun(Path runDirectory) {
    return new CheckpointStore(runDirectory.resolve(DIRECTORY_NAME), KEEP_ALL);
  }

  /**
   * The same directory, keeping only the {@code keep} newest checkpoints after each save ({@link
   * #KEEP_ALL} keeps every one).
   */
  public CheckpointStore keeping(int keep) {
    return new CheckpointStore(directory, keep);
  }

  public Path directory() {
    return directory;
  }

  /** File name of the checkpoint of a step. */
  public static String fileName(long step) {
    return String.format("step-%09d.ckpt", step);
  }

  /**
   * Writes the checkpoint, then moves the {@code latest} pointer to it, then (both being durable)
   * deletes what the retention rule no longer keeps.
   */
  public Path save(CheckpointFile checkpoint) throws IOException {
    return save(checkpoint.step(), checkpoint::write);
  }

  /** Writes a checkpoint file of any kind to the path it is given (atomically). */
  public interface Writer {
    void write(Path file) throws IOException;
  }

  /** As {@link #save(CheckpointFile)}, for any checkpoint kind (DTQL, SAC). */
  public Path save(long step, Writer writer) throws IOException {
    Files.createDirectories(directory);
    removeStaleTemporaries();
    Path file = directory.resolve(fileName(step));
    writer.write(file);
    AtomicFiles.write(
        directory.resolve(LATEST_POINTER),
        (file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
    if (keep != KEEP_ALL) {
      pruneBelow(step);
    }
    return file;
  }

  /** Deletes checkpoints at or below {@code savedStep} except the {@code keep} highest. */
  private void pruneBelow(long savedStep) throws IOException {
    List<Path> candidates;
    try (Stream<Path> files = Files.list(directory)) {
      candidates =
          files
              .filter(f -> FILE_NAME.matcher(f.getFileName().toString()).matches())
              .filter(f -> stepOf(f) <= savedStep)
              .sorted(Comparator.comparingLong(CheckpointStore::stepOf).reversed())
              .toList();
    }
    for (Path old : candidates.subList(Math.min(keep, candidates.size()), candidates.size())) {
      LOG.info("removing {} (keeping the {} newest checkpoints)", old, keep);
      Files.deleteIfExists(old);
    }
  }

  /** The newest checkpoint, if any. */
  public Optional<Path> latest() throws IOException {
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    Path pointer = directory.resolve(LATEST_POINTER);
    if (Files.isRegularFile(pointer)) {
      Path named = directory.resolve(Files.readString(pointer, StandardCharsets.UTF_8).strip());
      if (Files.isRegularFile(named)) {
        return Optional.of(named);
      }
      LOG.warn("{} names {}, which does not exist; using the highest step instead", pointer, named);
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> FILE_NAME.matcher(f.getFileName().toString()).matches())
          .max(Comparator.comparingLong(CheckpointStore::stepOf));
    }
  }

  /**
   * Resolves what a user passed to {@code --resume}: a checkpoint file, a run directory or a {@code
   * checkpoints} directory.
   */
  public static Path resolveResumeTarget(Path target) throws IOException {
    if (Files.isRegularFile(target)) {
      return target;
    }
    if (!Files.isDirectory(target)) {
      throw new CheckpointException(target, "no such checkpoint file or run directory");
    }
    CheckpointStore store =
        Files.isDirectory(target.resolve(DIRECTORY_NAME))
            ? inRun(target)
            : new CheckpointStore(target, KEEP_ALL);
    return store
        .latest()
        .orElseThrow(() -> new CheckpointException(target, "holds no step-*.ckpt checkpoint file"));
  }

  /** The run directory owning a checkpoint file, if it sits in a run's checkpoints directory. */
  public static Optional<Path> runDirectoryOf(Path checkpointFile) {
    Path parent = checkpointFile.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName().toString().equals(DIRECTORY_NAME)) {
      return Optional.ofNullable(parent.getParent());
    }
    return Optional.empty();
  }

  private static long stepOf(Path file) {
    Matcher m = FILE_NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** A writer killed between creating and renaming its temporary file leaves it behind. */
  private void removeStaleTemporaries() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (AtomicFiles.isTemporary(file)) {
          LOG.info("removing {} left by an interrupted checkpoint write", file);
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
