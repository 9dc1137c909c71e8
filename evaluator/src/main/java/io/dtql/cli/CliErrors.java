package io.dtql.cli;

import io.dtql.envbridge.EnvException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure inside a command into one clear line on stderr and exit code 1. Bad arguments
 * found while running (IllegalArgumentException) are usage errors: message, usage, exit 2. The
 * stack trace is printed only with DTQL_DEBUG=1, since users need the message, not our frames.
 */
final class CliErrors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, ParseResult parseResult) {
    if (System.getenv("DTQL_DEBUG") != null) {
      ex.printStackTrace(commandLine.getErr());
    }
    if (ex instanceof IllegalArgumentException) {
      commandLine.getErr().println("dtql: " + ex.getMessage());
      commandLine.usage(commandLine.getErr());
      return 2;
    }
    String kind = ex instanceof EnvException ? "simulator error" : "error";
    commandLine.getErr().println("dtql: " + kind + ": " + ex.getMessage());
    return 1;
  }
}
