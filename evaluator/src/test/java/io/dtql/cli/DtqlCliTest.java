package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit-code promise of every command: --help exits 0; a usage mistake prints "dtql: error:",
 * the message and the usage, and exits 2; a runtime failure prints one "dtql: error:" line and
 * exits 1. Nothing listens on 127.0.0.1:1, so a command aimed there fails at the handshake.
 */
class DtqlCliTest {
  private static final String NO_SERVER = "--target=127.0.0.1:1";

  @TempDir Path dir;

  @Test
  void helpExitsZero() {
    assertEquals(0, DtqlCli.execute("--help"));
    for (String command : commands()) {
      assertEquals(0, DtqlCli.execute(command, "--help"), command);
    }
  }

  @Test
  void topLevelHelpListsEveryCommandWithACompleteSentence() {
    String help = CliRun.of("--help").out();
    Map<String, String> listed = commandList(help);

    assertEquals(DtqlCli.commandLine().getSubcommands().keySet(), listed.keySet(), help);
    listed.forEach(
        (command, description) -> {
          assertTrue(description.endsWith("."), command + ": '" + description + "'");
          assertTrue(Character.isUpperCase(description.charAt(0)), command + ": " + description);
        });
  }

  @Test
  void trainHelpShowsTheDefaultOfStepsSeedAndDevice() {
    String help = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");

    assertTrue(
        help.contains("--steps=N Gradient steps after pretraining (default: the preset's"), help);
    assertTrue(help.contains("same as --set seed=N (default: the preset's)"), help);
    assertTrue(help.contains("(default: auto; the CPU with the default CPU natives)"), help);
  }

  static Stream<Arguments> usageMistakes() {
    return Stream.of(
        Arguments.of("quickstart", List.of("--rows", "5"), "--rows must be >= 1000, got 5"),
        Arguments.of("train", List.of("--preset", "hopper-medium"), "--dataset is required"),
        Arguments.of("train", List.of("--steps", "many"), "'many' is not a long"),
        Arguments.of("evaluate", List.of("--episodes", "0", NO_SERVER), "--episodes must be >= 1"),
        Arguments.of("evaluate", List.of("--selection", "psychic", NO_SERVER), "--selection"),
        Arguments.of("collect", List.of("--rows", "1", "--output=x.hdf5", NO_SERVER), "--rows"),
        Arguments.of(
            "collect",
            List.of("--kind", "expertish", "--output=x.hdf5", NO_SERVER),
            "unknown dataset kind 'expertish'"),
        Arguments.of(
            "collect",
            List.of("--kind", "medium", "--policies=no-such-dir", "--output=x.hdf5", NO_SERVER),
            "has no medium behaviour policy for task hopper"),
        Arguments.of(
            "collect",
            List.of("--kind", "medium", "--checkpoint=c.ckpt", "--output=x.hdf5", NO_SERVER),
            "--kind and --checkpoint exclude each other"),
        Arguments.of("sac", List.of(NO_SERVER), "give --task (with --run-dir) for a new run"),
        Arguments.of("sac", List.of("--progress", "psychic", NO_SERVER), "psychic"),
        Arguments.of("sac", List.of("--task=hopper", NO_SERVER), "--run-dir is required"),
        Arguments.of(
            "sac",
            List.of("--resume=no-such-run", "--seed=3", NO_SERVER),
            "--seed applies to a new run; a resumed run keeps its own"),
        Arguments.of(
            "sac",
            List.of("--task=hopper", "--run-dir=r", "--set=hidden-dim=0", NO_SERVER),
            "hidden-dim must be finite and > 0"),
        Arguments.of(
            "behaviour export",
            List.of("--snapshot=no.policy", "--kind=medium"),
            "--snapshot no.policy: no such file"),
        Arguments.of(
            "behaviour export",
            List.of("--snapshot=no.policy", "--kind=best"),
            "--kind must be medium, expert or controller"),
        Arguments.of("tasks", List.of("--target", "nohost"), "expected HOST:PORT"),
        Arguments.of("conformance", List.of("--target", "host:99999"), "expected HOST:PORT"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("usageMistakes")
  void aUsageMistakeExitsTwoWithTheMessageAndTheUsage(
      String command, List<String> args, String message) {
    List<String> line = new ArrayList<>(List.of(command.split(" ")));
    line.addAll(args);

    CliRun.of(line.toArray(String[]::new)).assertUsageError(command, message);
  }

  @Test
  void noSubcommandOrAnUnknownOneIsAUsageError() {
    CliRun none = CliRun.of();
    assertEquals(2, none.exitCode(), none.toString());
    assertTrue(none.err().startsWith(CliRun.PREFIX + "a subcommand is required"), none.err());

    CliRun unknown = CliRun.of("evalute");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().startsWith(CliRun.PREFIX + "Unmatched argument"), unknown.err());
    assertTrue(unknown.err().contains("Did you mean: dtql evaluate?"), unknown.err());
  }

  @Test
  void everySimulatorCommandFailsWithOneLineAndExitOneWhenTheServerIsUnreachable() {
    Path output = dir.resolve("out.hdf5");
    List<List<String>> lines =
        List.of(
            List.of("tasks", NO_SERVER),
            List.of("evaluate", "--episodes=1", NO_SERVER),
            List.of("collect", "--output=" + output, NO_SERVER),
            List.of("quickstart", "--output-dir=" + dir.resolve("qs"), NO_SERVER));
    for (List<String> line : lines) {
      CliRun.of(line.toArray(String[]::new))
          .assertFailure("simulator: Handshake failed with UNAVAILABLE");
    }
    assertFalse(Files.exists(output));
  }

  @Test
  void conformanceAgainstAnUnreachableServerReportsTheFailedCheckAndExitsOne() {
    CliRun run = CliRun.of("conformance", NO_SERVER);

    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.out().contains("FAIL connect and handshake"), run.toString());
    assertTrue(run.out().contains("0 passed, 1 failed"), run.toString());
  }

  @Test
  void trainingOnAFileThatIsNotHdf5FailsWithOneLineNamingTheFile() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.hdf5"), "not a dataset\n");

    CliRun.of(
            "train",
            "--dataset=" + notes,
            "--preset=hopper-medium",
            "--device=cpu",
            "--no-progress",
            "--output-dir=" + dir.resolve("runs"))
        .assertFailure("dataset file " + notes, "not a readable HDF5 file");
  }

  @Test
  void evaluatingAMissingCheckpointSaysItIsMissingBeforeAnyServerStarts() {
    CliRun run = CliRun.of("evaluate", "--checkpoint", "/no/such/run", NO_SERVER);

    run.assertUsageError(
        "evaluate", "--checkpoint /no/such/run: no such checkpoint file or run directory");
    assertFalse(run.err().contains("resume"), run.err());
    assertFalse(run.err().contains("Handshake"), "no server was contacted: " + run.err());
  }

  @Test
  void aCheckpointDirectoryWithoutCheckpointsIsAFailureThatDoesNotTalkOfResuming()
      throws IOException {
    Path emptyRun = Files.createDirectories(dir.resolve("run"));

    CliRun run = CliRun.of("evaluate", "--checkpoint", emptyRun.toString(), NO_SERVER);

    run.assertFailure("checkpoint " + emptyRun + ": holds no step-*.ckpt checkpoint file");
    assertFalse(run.err().contains("resume"), run.err());
  }

  @Test
  void resumingFromAMissingRunIsAUsageError() {
    CliRun.of("train", "--dataset=" + dir, "--resume=/no/such/run")
        .assertUsageError("train", "--resume /no/such/run: no such checkpoint file or run");
  }

  @Test
  void anOutputPathThatIsADirectoryIsAUsageErrorBeforeAnyServerStarts() {
    CliRun.of("evaluate", "--json=" + dir, NO_SERVER)
        .assertUsageError("evaluate", "--json " + dir + " is a directory");
    CliRun.of("collect", "--output=" + dir, NO_SERVER)
        .assertUsageError("collect", "--output " + dir + " is a directory");
  }

  /** The top-level commands, as registered (help included). */
  private static List<String> commands() {
    return new ArrayList<>(DtqlCli.commandLine().getSubcommands().keySet());
  }

  /**
   * The "Commands:" section of the top-level help: each command with its description, wrapped
   * continuation lines joined.
   */
  private static Map<String, String> commandList(String help) {
    Map<String, String> listed = new LinkedHashMap<>();
    String current = null;
    boolean inCommands = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  \\S.*")) {
        String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        listed.put(current, parts.length > 1 ? parts[1] : "");
      } else if (inCommands && current != null && line.matches("\\s{3,}\\S.*")) {
        listed.put(current, listed.get(current) + " " + line.strip());
      } else if (inCommands) {
        break;
      }
    }
    return listed;
  }

  @Test
  void onlyCommandsThatMayTrainOrActSampleTheLoadForThreadSizing() {
    assertTrue(DtqlCli.usesEngine("train", "--dataset", "x"));
    assertTrue(DtqlCli.usesEngine("sac", "--task=hopper"));
    assertFalse(DtqlCli.usesEngine("tasks"));
    assertFalse(DtqlCli.usesEngine("behaviour", "list"));
    assertFalse(DtqlCli.usesEngine("train", "--help"));
    assertFalse(DtqlCli.usesEngine());
  }
}
