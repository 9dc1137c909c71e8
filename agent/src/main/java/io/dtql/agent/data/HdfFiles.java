package io.dtql.agent.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Opens HDF5 files for reading, turning every failure into a {@link DatasetException}. */
final class HdfFiles {
  private HdfFiles() {}

  /**
   * Opens {@code file}, runs {@code body} on it and closes it. jhdf reads metadata lazily (a
   * group's children when first asked for), so damage can surface anywhere inside {@code body} as
   * jhdf's own exception, with no file name; here it becomes a {@link DatasetException} that names
   * the file.
   */
  static <T> T read(Path file, Function<HdfFile, T> body) {
    try (HdfFile hdf = open(file)) {
      return body.apply(hdf);
    } catch (DatasetException e) {
      throw e;
    } catch (RuntimeException e) {
      throw damaged(file, e);
    }
  }

  /** A failure of jhdf while reading {@code file}, as an error naming the file. */
  static DatasetException damaged(Path file, RuntimeException e) {
    return new DatasetException(
        file,
        null,
        "could not be read; its HDF5 structure is damaged or unsupported ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + ")",
        e);
  }

  /**
   * Opens {@code file} read-only, after checking that it is as long as its superblock says (see
   * {@link HdfFileLength}). jhdf reports a non-HDF5 file with its own unchecked exception whose
   * message does not mention datasets; wrapping it here tells the user which file is wrong.
   */
  static HdfFile open(Path file) {
    if (!Files.exists(file)) {
      throw new DatasetException(file, "file does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "is not a regular file, expected an HDF5 file");
    }
    try {
      if (Files.size(file) == 0) {
        throw new DatasetException(file, "file is empty (0 bytes)");
      }
      HdfFileLength.requireComplete(file);
      return new HdfFile(file);
    } catch (DatasetException e) {
      throw e;
    } catch (Exception e) {
      throw new DatasetException(
          file, null, "is not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
  }

  /** The key of {@code name} inside {@code parent} as h5py prints it, without a leading slash. */
  static String keyOf(Group parent, String name) {
    String prefix = parent.getPath();
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    if (prefix.isEmpty()) {
      return name;
    }
    return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
  }
}
