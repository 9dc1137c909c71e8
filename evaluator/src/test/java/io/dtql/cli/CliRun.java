package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.preset.Preset;
import io.dtql.agent.preset.PresetRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One run of the {@code dtql} command line with its output captured, and what tests check. */
record CliRun(int exitCode, String out, String err) {
  static final String PREFIX = "dtql: error: ";

  static CliRun of(String... args) {
    CommandLine cli = DtqlCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The arguments of {@code a} followed by those of {@code b}. */
  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Exit 2, the prefixed message first, then the usage of {@code command}; no stack trace. */
  void assertUsageError(String command, String... fragments) {
    assertEquals(2, exitCode, this::toString);
    assertTrue(err.startsWith(PREFIX), this::toString);
    assertTrue(err.contains("Usage: dtql " + command), this::toString);
    assertFalse(err.contains("\tat "), this::toString);
    assertMentions(fragments);
  }

  /** Exit 1 and exactly one line on stderr, prefixed; no usage, no stack trace. */
  void assertFailure(String... fragments) {
    assertEquals(1, exitCode, this::toString);
    assertTrue(err.startsWith(PREFIX), this::toString);
    assertEquals(1, err.strip().lines().count(), this::toString);
    assertFalse(err.contains("Usage:"), this::toString);
    assertMentions(fragments);
  }

  private void assertMentions(String... fragments) {
    for (String fragment : fragments) {
      assertTrue(err.contains(fragment), () -> "mentions '" + fragment + "': " + this);
    }
  }

  /**
   * A checkpoint of the hopper-medium preset (obs 11, act 3). Its agent state is empty: the
   * commands must refuse a task that does not fit before they restore any network.
   */
  static Path hopperCheckpoint(Path dir) throws IOException {
    Preset preset = PresetRegistry.bundled().load("hopper-medium");
    Path file = dir.resolve("hopper.ckpt");
    try (DtqlAgent agent = DtqlAgent.create(preset.config(), preset.shape())) {
      new CheckpointFile(preset.config(), preset.shape(), agent.exportState(), 0).write(file);
    }
    return file;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
