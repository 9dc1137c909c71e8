package io.dtql.agent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean file the project wrote reads back without a single warning. jhdf's own provenance
 * attribute used to make every open log "buffer still has 3 bytes remaining" (see {@link
 * HdfWriting#JHDF_ATTRIBUTE}). slf4j-simple writes to the current System.err, so the test captures
 * that; it also checks an info line arrived, so an empty capture cannot pass.
 */
class OwnFilesReadQuietlyTest {
  @TempDir Path dir;

  @Test
  void aD4rlFileWrittenByTheProjectLoadsWithoutWarnings() throws IOException {
    Path file = dir.resolve("d4rl.hdf5");
    D4rlDatasetWriter.write(file, Fixtures.sevenRows(), D4rlWriteOptions.defaults());

    String log =
        stderrOf(() -> assertEquals(5, DatasetLoader.load(file, ExpectedShape.any()).size()));

    assertTrue(log.contains("Read 5 transitions"), "the capture sees the reader's log:\n" + log);
    assertFalse(log.contains("WARN"), log);
  }

  @Test
  void aMinariDatasetWrittenByTheProjectLoadsWithoutWarnings() throws IOException {
    Path minari = dir.resolve("minari");
    MinariDatasetWriter.writeDataset(minari, List.of(Fixtures.episode(0, 3, true, false)));

    String log =
        stderrOf(() -> assertEquals(3, DatasetLoader.load(minari, ExpectedShape.any()).size()));

    assertTrue(log.contains("Read 3 transitions"), "the capture sees the reader's log:\n" + log);
    assertFalse(log.contains("WARN"), log);
  }

  @Test
  void filesWrittenByTheProjectCarryNoJhdfAttribute() throws IOException {
    Path file = dir.resolve("d4rl.hdf5");
    D4rlDatasetWriter.write(file, Fixtures.sevenRows(), D4rlWriteOptions.defaults());

    try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(file)) {
      assertTrue(hdf.getAttributes().isEmpty(), "attributes: " + hdf.getAttributes().keySet());
    }
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
