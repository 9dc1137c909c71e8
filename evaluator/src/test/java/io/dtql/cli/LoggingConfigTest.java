package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.D4rlDatasetWriter;
import io.dtql.agent.data.D4rlWriteOptions;
import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.ExpectedShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the command line's logging configuration (src/main/resources/simplelogger.properties, which
 * slf4j-simple reads from the class path; it writes to the current System.err), writing a dataset
 * as collect does and reading it as train does logs no warning.
 */
class LoggingConfigTest {
  @TempDir Path dir;

  @Test
  void writingAndReadingADatasetLogsNoWarning() {
    Path file = dir.resolve("rows.hdf5");
    int rows = 50;
    D4rlData data =
        new D4rlData(
            2,
            1,
            new float[rows * 2],
            new float[rows],
            new float[rows],
            new boolean[rows],
            new boolean[rows]);

    String log =
        stderrOf(
            () -> {
              try {
                D4rlDatasetWriter.write(file, data, D4rlWriteOptions.defaults());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              assertEquals(rows - 1, DatasetLoader.load(file, ExpectedShape.any()).size());
            });

    assertTrue(log.contains("Wrote 50 D4RL rows"), "the capture sees our info lines:\n" + log);
    assertFalse(log.contains("WARN"), log);
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
