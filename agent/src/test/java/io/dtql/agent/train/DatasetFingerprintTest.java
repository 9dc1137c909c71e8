package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFingerprintTest {
  /** SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1). */
  private static final String SHA256_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path dir;

  @Test
  void aFileIsRecordedWithItsAbsolutePathSizeAndSha256() throws IOException {
    Path file = Files.writeString(dir.resolve("hopper.hdf5"), "abc");
    DatasetFingerprint print = DatasetFingerprint.of(file);
    assertEquals(
        List.of(new DatasetFingerprint.DataFile(file.toAbsolutePath(), 3, SHA256_ABC)),
        print.files());
    assertEquals(print, DatasetFingerprint.fromJson(print.toJson()));
  }

  @Test
  void aMinariDirectoryRecordsItsMainAndAdditionalDataFilesButNotMetadata() throws IOException {
    Path data = Files.createDirectories(dir.resolve("hopper-medium-v0/data"));
    Files.writeString(data.resolve("main_data.hdf5"), "main");
    Files.writeString(data.resolve("additional_data_1.hdf5"), "more");
    Files.writeString(dir.resolve("hopper-medium-v0/metadata.json"), "{}");
    DatasetFingerprint print = DatasetFingerprint.of(dir.resolve("hopper-medium-v0"));
    assertEquals(
        List.of("main_data.hdf5", "additional_data_1.hdf5"),
        print.files().stream().map(f -> f.path().getFileName().toString()).toList());

    // A change to any data file is a different dataset; metadata is not hashed.
    Files.writeString(dir.resolve("hopper-medium-v0/metadata.json"), "{\"edited\": true}");
    assertEquals(print, DatasetFingerprint.of(dir.resolve("hopper-medium-v0")));
    Files.writeString(data.resolve("additional_data_1.hdf5"), "MORE");
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () ->
                print.requireSameAs(
                    DatasetFingerprint.of(dir.resolve("hopper-medium-v0")),
                    dir.resolve("hopper-medium-v0")));
    assertTrue(e.getMessage().contains("additional_data_1.hdf5"), e.getMessage());
  }

  @Test
  void aMovedCopyIsTheSameDataset() throws IOException {
    Path original = Files.writeString(dir.resolve("a.hdf5"), "abc");
    Path copy = Files.copy(original, Files.createDirectories(dir.resolve("moved")).resolve("b"));
    DatasetFingerprint recorded = DatasetFingerprint.of(original);
    assertDoesNotThrow(() -> recorded.requireSameAs(DatasetFingerprint.of(copy), copy));
  }

  @Test
  void aDifferentSizeIsNamedWithBothPaths() throws IOException {
    Path original = Files.writeString(dir.resolve("a.hdf5"), "abc");
    Path other = Files.writeString(dir.resolve("b.hdf5"), "abcd");
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () ->
                DatasetFingerprint.of(original).requireSameAs(DatasetFingerprint.of(other), other));
    assertTrue(e.getMessage().startsWith("dataset file " + other), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "size differs: 3 bytes recorded for "
                    + original.toAbsolutePath()
                    + ", 4 bytes now at "
                    + other.toAbsolutePath()),
        e.getMessage());
  }

  @Test
  void sameSizeOtherContentIsNamedAsAContentHashDifference() throws IOException {
    Path file = Files.writeString(dir.resolve("a.hdf5"), "abc");
    DatasetFingerprint recorded = DatasetFingerprint.of(file);
    Files.writeString(file, "abd"); // replaced in place: same path, same size
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> recorded.requireSameAs(DatasetFingerprint.of(file), file));
    assertTrue(
        e.getMessage().contains("content hash (SHA-256) differs: " + SHA256_ABC + " recorded for"),
        e.getMessage());
    assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
  }
}
