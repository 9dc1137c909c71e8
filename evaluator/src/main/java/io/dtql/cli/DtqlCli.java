package io.dtql.cli;

import io.dtql.agent.runtime.IntraOpThreads;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.MalformedResponseException;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dtql} command line: one entry, one subcommand per job. {@link #execute} is what tests
 * call; {@link #main} only adds {@code System.exit}. Every command reports errors the same way
 * ({@link CliErrors}): usage mistakes exit 2 with the usage, failures exit 1 with one line.
 */
@Command(
    name = "dtql",
    mixinStandardHelpOptions = true,
    version = "dtql 0.1.0",
    description =
        "Diffusion Trusted Q-Learning on the JVM, with simulators behind a gRPC contract.",
    subcommands = {
      QuickstartCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      SmokeCommand.class,
      ReportCommand.class,
      CollectCommand.class,
      SacCommand.class,
      BehaviourCommand.class,
      TasksCommand.class,
      ConformanceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DtqlCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // No subcommand given: show what there is, as a usage error.
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 bad usage, 130 Ctrl-C). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command tree with dtql's error handling, for callers that redirect its output. */
  static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new DtqlCli()), DtqlCli::describe);
  }

  /**
   * A runtime failure as one line. The simulator's failures say they come from it; a reply that
   * breaks the contract says so, since the fix is then in the server, not in the command.
   */
  static String describe(Exception e) {
    String message = CliErrors.messageOf(e);
    if (e instanceof MalformedResponseException) {
      return "the simulator's reply breaks the dtql.env.v1 contract: " + message;
    }
    if (e instanceof EnvException) {
      return "simulator: " + message;
    }
    return message;
  }

  /** Commands that may run the PyTorch engine (the others never load it). */
  static final Set<String> ENGINE_COMMANDS =
      Set.of("quickstart", "train", "evaluate", "collect", "sac");

  /** True if the command line runs a command that may use the engine (and is not just help). */
  static boolean usesEngine(String... args) {
    List<String> words = List.of(args);
    if (words.contains("--help") || words.contains("-h")) {
      return false;
    }
    return words.stream()
        .filter(w -> !w.startsWith("-"))
        .findFirst()
        .filter(ENGINE_COMMANDS::contains)
        .isPresent();
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    if (usesEngine(args)) {
      try {
        // Once per process, before the command touches the PyTorch engine. It samples the load
        // for 200 ms, so commands that never load the engine (tasks, help) skip it.
        IntraOpThreads.configure();
      } catch (IllegalArgumentException e) {
        System.err.println(CliErrors.PREFIX + e.getMessage());
        System.exit(2);
      }
    }
    System.exit(execute(args));
  }
}
