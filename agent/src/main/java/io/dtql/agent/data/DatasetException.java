package io.dtql.agent.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An offline dataset could not be used. The message always names the file and, when the problem
 * lies in one array or group, its key, so a user can find the culprit with {@code h5ls}.
 */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String key;

  /** A problem with the file as a whole (missing, not HDF5, unknown layout). */
  public DatasetException(Path file, String problem) {
    this(file, null, problem, null);
  }

  /** A problem with one key (dataset or group path inside the file). */
  public DatasetException(Path file, String key, String problem) {
    this(file, key, problem, null);
  }

  /** As {@link #DatasetException(Path, String, String)}, keeping the low-level cause. */
  public DatasetException(Path file, String key, String problem, Throwable cause) {
    super(describe(file, key, problem), cause);
    this.file = file;
    this.key = key;
  }

  private static String describe(Path file, String key, String problem) {
    String where = "dataset file " + file;
    return key == null ? where + ": " + problem : where + ", key '" + key + "': " + problem;
  }

  /** The file that was being read. */
  public Path file() {
    return file;
  }

  /** The key (HDF5 path inside the file) at fault, if the problem is tied to one. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }
}
