package io.dtql.agent.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.dtql.agent.data.DatasetException;
import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.io.FileHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Identifies the data a run was trained on, so a resume can refuse other data: the size and SHA-256
 * of every file the dataset is read from ({@link DatasetLoader#files}), that is the D4RL file
 * itself, or a Minari dataset's {@code main_data.hdf5} and each {@code additional_data_*.hdf5}
 * beside it. Files the readers do not use (Minari's {@code metadata.json}) are not hashed. Paths
 * are recorded to name the files in messages, but do not take part in the comparison: a dataset
 * moved or copied elsewhere is the same dataset.
 *
 * @param files each data file in reading order
 */
public record DatasetFingerprint(List<DataFile> files) {
  private static final int BUFFER_BYTES = 1 << 20;

  /**
   * One data file.
   *
   * @param path absolute path when the fingerprint was taken
   * @param sizeBytes size in bytes
   * @param sha256 SHA-256 of the contents, lower-case hex
   */
  public record DataFile(Path path, long sizeBytes, String sha256) {
    public DataFile {
      Objects.requireNonNull(path, "path");
      if (sizeBytes < 0) {
        throw new IllegalArgumentException("size-bytes must be >= 0, got " + sizeBytes);
      }
      if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "'");
      }
    }
  }

  public DatasetFingerprint {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a dataset fingerprint needs at least one file");
    }
  }

  /** Sizes and hashes the files of the dataset at {@code dataset} (reads every byte once). */
  public static DatasetFingerprint of(Path dataset) throws IOException {
    List<DataFile> files = new ArrayList<>();
    for (Path file : DatasetLoader.files(dataset)) {
      Path absolute = file.toAbsolutePath().normalize();
      files.add(new DataFile(absolute, Files.size(absolute), sha256(absolute)));
    }
    return new DatasetFingerprint(files);
  }

  /**
   * Refuses {@code current} (the data at {@code dataset} now) unless it has the same files, sizes
   * and contents as this recorded fingerprint.
   *
   * @throws DatasetException naming the dataset, what differs, and the recorded and current paths
   */
  public void requireSameAs(DatasetFingerprint current, Path dataset) {
    List<String> differences = new ArrayList<>();
    if (current.files.size() != files.size()) {
      differences.add(
          "it is read from "
              + current.files.size()
              + " file(s) "
              + paths(current)
              + ", the run's data from "
              + files.size()
              + " "
              + paths(this));
    } else {
      for (int i = 0; i < files.size(); i++) {
        DataFile was = files.get(i);
        DataFile now = current.files.get(i);
        if (was.sizeBytes() != now.sizeBytes()) {
          differences.add(
              "size differs: "
                  + was.sizeBytes()
                  + " bytes recorded for "
                  + was.path()
                  + ", "
                  + now.sizeBytes()
                  + " bytes now at "
                  + now.path());
        } else if (!was.sha256().equals(now.sha256())) {
          differences.add(
              "content hash (SHA-256) differs: "
                  + was.sha256()
                  + " recorded for "
                  + was.path()
                  + ", "
                  + now.sha256()
                  + " now at "
                  + now.path());
        }
      }
    }
    if (!differences.isEmpty()) {
      throw new DatasetException(
          dataset,
          "is not the dataset this run was trained on: "
              + String.join("; ", differences)
              + ". Resume with the run's own data, or start a new run");
    }
  }

  /** The form stored in {@code config.json}: an array of {path, size_bytes, sha256}. */
  public JsonArray toJson() {
    JsonArray array = new JsonArray();
    for (DataFile file : files) {
      JsonObject json = new JsonObject();
      json.addProperty("path", file.path().toString());
      json.addProperty("size_bytes", file.sizeBytes());
      json.addProperty("sha256", file.sha256());
      array.add(json);
    }
    return array;
  }

  /** Reads {@link #toJson()}'s form; a missing or malformed field is refused naming it. */
  public static DatasetFingerprint fromJson(JsonArray array) {
    List<DataFile> files = new ArrayList<>();
    for (JsonElement element : array) {
      JsonObject json = element.getAsJsonObject();
      for (String field : List.of("path", "size_bytes", "sha256")) {
        if (!json.has(field)) {
          throw new IllegalArgumentException("dataset file entry lacks '" + field + "': " + json);
        }
      }
      files.add(
          new DataFile(
              Path.of(json.get("path").getAsString()),
              json.get("size_bytes").getAsLong(),
              json.get("sha256").getAsString()));
    }
    return new DatasetFingerprint(files);
  }

  private static List<Path> paths(DatasetFingerprint fingerprint) {
    return fingerprint.files.stream().map(DataFile::path).toList();
  }

  private static String sha256(Path file) throws IOException {
    return FileHashes.sha256(file);
  }
}
