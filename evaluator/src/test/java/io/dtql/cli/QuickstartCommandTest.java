package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's checks that run before any server starts (the pipeline is e2e-tested). */
class QuickstartCommandTest {
  private static final String NO_SERVER = "--target=127.0.0.1:1";

  @TempDir Path dir;

  @Test
  void anEarlierQuickstartsDirectoryIsNeverWrittenInto() throws Exception {
    Path earlier = Files.createDirectories(dir.resolve("quickstart"));
    Files.writeString(earlier.resolve("summary.json"), "[]");

    CliRun.of("quickstart", "--output-dir=" + earlier, NO_SERVER)
        .assertUsageError("quickstart", "--output-dir " + earlier, "exists and is not empty");
    try (Stream<Path> entries = Files.list(earlier)) {
      assertEquals(1, entries.count(), "nothing was added");
    }
  }

  @Test
  void budgetsMustBePositive() {
    CliRun.of("quickstart", "--minutes=0", NO_SERVER)
        .assertUsageError("quickstart", "--minutes must be > 0, got 0.0");
    CliRun.of("quickstart", "--steps=0", NO_SERVER)
        .assertUsageError("quickstart", "--steps must be >= 1, got 0");
    CliRun.of("quickstart", "--episodes=0", NO_SERVER)
        .assertUsageError("quickstart", "--episodes must be >= 1, got 0");
  }

  @Test
  void aCatalogWithoutTheMediumPolicyIsAUsageError() {
    CliRun.of(
            "quickstart",
            "--policies=" + dir.resolve("empty-catalog"),
            "--output-dir=" + dir.resolve("never"),
            NO_SERVER)
        .assertUsageError("quickstart", "has no medium behaviour policy for task hopper");
    assertEquals(false, Files.exists(dir.resolve("never")), "no directory for a refused run");
  }
}
