package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files cut short (a copy stopped halfway, a full disk) are refused with the file, its size and the
 * size its superblock promises, instead of being read with made-up values past the end. The valid
 * file is written by the project (jhdf, superblock version 2: 48 bytes, then the root group's
 * object header at byte 64, then each dataset's header followed by its data); {@link
 * H5pyCrossCheckTest} does the same for h5py's version-0 superblock and a user block.
 */
class TruncatedDatasetTest {
  private static final int SUPERBLOCK_V2_BYTES = 48;

  @TempDir Path dir;
  private Path valid;
  private long validSize;

  @BeforeEach
  void writeValidFile() throws IOException {
    valid = dir.resolve("valid.hdf5");
    D4rlDatasetWriter.write(valid, Fixtures.rows(2_000, 11, 3), D4rlWriteOptions.defaults());
    validSize = Files.size(valid);
  }

  @Test
  void theUncutFileLoads() {
    assertEquals(1_999, DatasetLoader.load(valid, ExpectedShape.of(11, 3)).size());
  }

  /** Where a copy stops, given the valid file's size. */
  enum Cut {
    JUST_AFTER_THE_SUPERBLOCK,
    IN_THE_ROOT_GROUP_METADATA,
    MID_DATA,
    ONE_BYTE_SHORT;

    long at(long size) {
      return switch (this) {
        case JUST_AFTER_THE_SUPERBLOCK -> SUPERBLOCK_V2_BYTES;
        case IN_THE_ROOT_GROUP_METADATA -> 150;
        case MID_DATA -> size / 2;
        case ONE_BYTE_SHORT -> size - 1;
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void aTruncatedCopyIsRefusedNamingTheFileItsSizeAndTheExpectedSize(Cut where) throws IOException {
    long cut = where.at(validSize);
    Path file = truncatedCopy(cut);

    DatasetException e = loadFails(file);

    assertMentions(e, "truncated", cut + " bytes", "ends at byte " + validSize);
  }

  @Test
  void aCopyThatEndsInsideTheSuperblockIsRefused() throws IOException {
    Path file = truncatedCopy(20);

    assertMentions(loadFails(file), "truncated", "20 bytes", "inside its HDF5 superblock");
  }

  @Test
  void detectingTheFormatOfATruncatedCopyNamesTheFile() throws IOException {
    Path file = truncatedCopy(validSize / 2);

    DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.detect(file));

    assertEquals(file, e.file());
    assertMentions(e, file.toString(), "truncated");
  }

  /**
   * A full-length file whose metadata is zeros from byte 150 on (space allocated but never written)
   * passes the length check; jhdf then fails inside the root group while the loader looks for the
   * file's keys, and that failure must name the file too, not leak jhdf's bare message.
   */
  @Test
  void damagedMetadataFoundWhileDetectingTheFormatNamesTheFile() throws IOException {
    Path file = zeroedFrom(150);

    DatasetException detect =
        assertThrows(DatasetException.class, () -> DatasetLoader.detect(file));
    assertEquals(file, detect.file());
    assertMentions(detect, file.toString(), "damaged");
    assertMentions(loadFails(file), "damaged");
  }

  @Test
  void aTruncatedMinariEpisodeFileIsRefused() throws IOException {
    Path minari = dir.resolve("minari");
    Path main =
        MinariDatasetWriter.writeDataset(
            minari,
            List.of(Fixtures.episode(0, 400, true, false), Fixtures.episode(1, 400, false, true)));
    long size = Files.size(main);
    cut(main, size - 1);

    DatasetException e =
        assertThrows(DatasetException.class, () -> DatasetLoader.load(minari, ExpectedShape.any()));

    assertEquals(main, e.file());
    assertMentions(e, main.toString(), "truncated", (size - 1) + " bytes", "ends at byte " + size);
  }

  private Path truncatedCopy(long length) throws IOException {
    Path copy = dir.resolve("cut-at-" + length + ".hdf5");
    Files.copy(valid, copy);
    cut(copy, length);
    return copy;
  }

  private static void cut(Path file, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
    assertEquals(length, Files.size(file));
  }

  private Path zeroedFrom(long start) throws IOException {
    Path copy = dir.resolve("zeroed-from-" + start + ".hdf5");
    Files.copy(valid, copy);
    try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate((int) (validSize - start)), start);
    }
    assertEquals(validSize, Files.size(copy));
    return copy;
  }

  private static DatasetException loadFails(Path file) {
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> DatasetLoader.load(file, ExpectedShape.of(11, 3)));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    return e;
  }

  private static void assertMentions(DatasetException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "mentions " + fragment + ": " + e.getMessage());
    }
  }
}
