package io.dtql.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage mistakes a command finds itself (a value out of range, names that do not fit together), as
 * picocli's {@link ParameterException}: message, usage, exit 2 (see {@code CliErrors}). Commands
 * check these before they start a server or any rollout, so a mistake costs nothing.
 */
final class Usage {
  private Usage() {}

  /** A usage error of {@code command}. */
  static ParameterException error(CommandSpec command, String message) {
    return new ParameterException(command.commandLine(), message);
  }

  /** Fails with {@code message} unless {@code holds}. */
  static void require(boolean holds, CommandSpec command, String message) {
    if (!holds) {
      throw error(command, message);
    }
  }

  /** Fails when an output file named by {@code flag} is an existing directory. */
  static void requireFileTarget(CommandSpec command, String flag, Path file) {
    if (file != null && Files.isDirectory(file)) {
      throw error(command, flag + " " + file + " is a directory; name the file to write");
    }
  }
}
