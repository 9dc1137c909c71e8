package io.dtql.cli;

import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one error policy of the {@code dtql} command line, the same for every command:
 *
 * <ul>
 *   <li>a usage mistake, i.e. a picocli {@link ParameterException} (thrown by the parser, or by a
 *       command that finds its input unusable before it starts any work): {@value #PREFIX} and the
 *       message, then the command's usage; exit {@value #EXIT_USAGE};
 *   <li>anything else that stops a command (a damaged file, a simulator that fails or breaks the
 *       contract, a bug): {@value #PREFIX} and the message, nothing more; exit {@value
 *       #EXIT_FAILURE}. With {@code DTQL_DEBUG=1} the stack trace follows, since users need the
 *       message and developers the frames.
 * </ul>
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** What every error line starts with. */
  static final String PREFIX = "dtql: error: ";

  /** Exit code of a usage mistake. */
  static final int EXIT_USAGE = 2;

  /** Exit code of a command that failed while running. */
  static final int EXIT_FAILURE = 1;

  /**
   * Exit code of a command that a stop request (Ctrl-C) ended early after it saved a checkpoint:
   * the shell's code for SIGINT. Not an error; it stands here so that train and sac share it.
   */
  static final int EXIT_STOPPED = 130;

  private final Function<Exception, String> describe;

  private CliErrors(Function<Exception, String> describe) {
    this.describe = describe;
  }

  /** Installs the policy on {@code cli} (and so on its subcommands); returns {@code cli}. */
  static CommandLine install(CommandLine cli) {
    return install(cli, CliErrors::messageOf);
  }

  /**
   * As {@link #install(CommandLine)}, with {@code describe} turning a runtime failure into its
   * message (for example to say that an exception came from the simulator).
   */
  static CommandLine install(CommandLine cli, Function<Exception, String> describe) {
    CliErrors errors = new CliErrors(describe);
    cli.setParameterExceptionHandler(errors);
    cli.setExecutionExceptionHandler(errors);
    return cli;
  }

  /** The exception's message, or its type when it has none (a bug, typically). */
  static String messageOf(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    printStackTraceIfDebugging(ex, err);
    err.println(PREFIX + messageOf(ex));
    UnmatchedArgumentException.printSuggestions(ex, err);
    command.usage(err, command.getColorScheme());
    err.flush();
    return EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    printStackTraceIfDebugging(ex, err);
    err.println(PREFIX + describe.apply(ex));
    err.flush();
    return EXIT_FAILURE;
  }

  private static void printStackTraceIfDebugging(Exception ex, PrintWriter err) {
    if (System.getenv("DTQL_DEBUG") != null) {
      ex.printStackTrace(err);
    }
  }
}
