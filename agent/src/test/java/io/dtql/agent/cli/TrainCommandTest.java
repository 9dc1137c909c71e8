package io.dtql.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.train.FakeAgent;
import io.dtql.agent.train.StopSignal;
import io.dtql.agent.train.TinyData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path dir;
  private Path datasetFile;
  private final List<ProblemShape> loadedShapes = new ArrayList<>();

  record Result(int exitCode, String out, String err, Optional<Path> runDirectory) {}

  @BeforeEach
  void writeDatasetFile() throws IOException {
    datasetFile =
        Files.writeString(
            dir.resolve("hopper-medium-v2.hdf5"), "stand-in; the test source ignores it");
  }

  private Result run(FakeAgent.Factory agents, StopSignal stop, String... args) {
    TrainCommand command =
        new TrainCommand(
            agents,
            (path, shape) -> {
              loadedShapes.add(shape);
              return TinyData.transitions(40, shape.obsDim(), shape.actDim());
            },
            () -> 0,
            stop);
    CommandLine cli = TrainCommand.commandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString(), command.runDirectory());
  }

  private Result run(String... args) {
    return run(new FakeAgent.Factory(), new StopSignal(), args);
  }

  /**
   * A valid training command line; {@code changes} are flag/value pairs that replace the flag's
   * value when it is already present (picocli refuses a repeated single-value flag) and are
   * appended otherwise (--set, --resume).
   */
  private String[] trainArgs(String... changes) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("--dataset", datasetFile.toString());
    flags.put("--preset", "hopper-medium");
    // 57 training steps after 3 pretraining steps (the preset's 5%, rounded): runs end at 60.
    flags.put("--steps", "57");
    flags.put("--seed", "5");
    flags.put("--output-dir", dir.resolve("runs").toString());
    flags.put("--device", "cpu");
    flags.put("--checkpoint-every", "25");
    flags.put("--log-every", "10");
    List<String> appended = new ArrayList<>(List.of("--set", "batch-size=8", "--no-progress"));
    for (int i = 0; i < changes.length; i += 2) {
      if (flags.containsKey(changes[i])) {
        flags.put(changes[i], changes[i + 1]);
      } else {
        appended.add(changes[i]);
        appended.add(changes[i + 1]);
      }
    }
    List<String> args = new ArrayList<>();
    flags.forEach(
        (flag, value) -> {
          args.add(flag);
          args.add(value);
        });
    args.addAll(appended);
    return args.toArray(String[]::new);
  }

  @Test
  void helpExitsZeroAndListsTheFlags() {
    Result result = run("--help");
    assertEquals(0, result.exitCode());
    for (String flag :
        List.of(
            "--dataset",
            "--preset",
            "--steps",
            "--resume",
            "--set",
            "--metrics-format",
            "--list-presets")) {
      assertTrue(result.out().contains(flag), flag + " missing from help");
    }
  }

  /** The top-level CLI a subcommand is mounted under, with picocli's defaults. */
  @CommandLine.Command(name = "dtql")
  static final class TopLevel {}

  @Test
  void worksMountedUnderAParentCommandWithDefaultSettings() throws IOException {
    TrainCommand train =
        new TrainCommand(
            new FakeAgent.Factory(),
            (path, shape) -> TinyData.transitions(40, shape.obsDim(), shape.actDim()),
            () -> 0,
            new StopSignal());
    CommandLine top = new CommandLine(new TopLevel()).addSubcommand(train);
    StringWriter out = new StringWriter();
    top.setOut(new PrintWriter(out));
    top.setErr(new PrintWriter(new StringWriter()));
    List<String> args = new ArrayList<>(List.of("train"));
    args.addAll(List.of(trainArgs("--device", "CPU", "--metrics-format", "Csv")));
    assertEquals(0, top.execute(args.toArray(String[]::new)));
    assertTrue(Files.exists(onlyRun().resolve("metrics.csv")));
    assertTrue(out.toString().contains("finished at step 60"), out.toString());
  }

  @Test
  void badEnumValueNamesTheValidOnes() {
    Result result = run(trainArgs("--metrics-format", "parquet"));
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("'parquet' is not one of jsonl, csv"), result.err());
  }

  @Test
  void listPresetsPrintsEveryPreset() {
    Result result = run("--list-presets");
    assertEquals(0, result.exitCode());
    assertTrue(result.out().contains("hopper-medium-replay"));
    assertTrue(result.out().contains("antmaze-large-diverse"));
    assertTrue(result.out().contains("29/8"));
  }

  @Test
  void unknownPresetExitsTwoListingTheValidOnes() {
    Result result = run("--dataset", datasetFile.toString(), "--preset", "hopper-expert");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("unknown preset 'hopper-expert'"), result.err());
    assertTrue(result.err().contains("walker2d-medium"), result.err());
    assertTrue(result.err().contains("Usage:"), result.err());
  }

  @Test
  void badOverridesExitTwoNamingTheProblem() {
    Result unknownKey = run(trainArgs("--set", "learning_rate=1e-3"));
    assertEquals(2, unknownKey.exitCode());
    assertTrue(unknownKey.err().contains("'learning_rate'"), unknownKey.err());
    Result badValue = run(trainArgs("--set", "alpha=lots"));
    assertEquals(2, badValue.exitCode());
    assertTrue(
        badValue.err().contains("alpha") && badValue.err().contains("'lots'"), badValue.err());
    Result invalid = run(trainArgs("--set", "discount=2"));
    assertEquals(2, invalid.exitCode());
    assertTrue(invalid.err().contains("discount"), invalid.err());
    Result noEquals = run(trainArgs("--set", "alpha"));
    assertEquals(2, noEquals.exitCode());
  }

  @Test
  void missingDatasetExitsTwoNamingTheFile() {
    Path missing = dir.resolve("walker2d-medium-v2.hdf5");
    Result result = run("--dataset", missing.toString(), "--preset", "walker2d-medium");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains(missing.toString()), result.err());
    Result none = run("--preset", "walker2d-medium");
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("--dataset is required"), none.err());
  }

  @Test
  void badDeviceChoicesExitTwo() {
    assertEquals(2, run(trainArgs("--device", "tpu")).exitCode());
    Result gpu = run(trainArgs("--device", "gpu"));
    assertEquals(2, gpu.exitCode());
    assertTrue(gpu.err().contains("no GPU"), gpu.err());
  }

  @Test
  void trainsIntoANamedRunDirectoryWithConfigMetricsAndCheckpoints() throws IOException {
    Result result = run(trainArgs());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("finished at step 60 of 60"), result.out());
    assertTrue(result.out().contains("device: cpu()"), result.out());
    assertEquals(List.of(new ProblemShape(11, 3, 1f)), loadedShapes);

    Path run = onlyRun();
    assertEquals(Optional.of(run), result.runDirectory(), "the command reports where it wrote");
    assertTrue(
        run.getFileName().toString().matches("hopper-medium__dtql__5__\\d{8}-\\d{6}"),
        run.toString());
    JsonObject config =
        JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    JsonObject values = config.getAsJsonObject("config");
    assertEquals(57, values.get("train-steps").getAsLong());
    assertEquals(3, values.get("pretrain-steps").getAsLong()); // 50k per 1M, scaled to 57 steps
    assertEquals(5.0, values.get("alpha").getAsDouble()); // from the preset
    assertEquals(8, values.get("batch-size").getAsInt()); // from --set
    assertEquals(6, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
      assertEquals(
          List.of("latest", "step-000000025.ckpt", "step-000000050.ckpt", "step-000000060.ckpt"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void stoppedRunResumesToTheSameParametersAsAStraightRun() throws IOException {
    FakeAgent.Factory straight = new FakeAgent.Factory();
    assertEquals(
        0,
        run(
                straight,
                new StopSignal(),
                trainArgs("--output-dir", dir.resolve("straight").toString()))
            .exitCode());

    StopSignal stop = new StopSignal();
    FakeAgent.Factory interrupted = new FakeAgent.Factory();
    interrupted.afterUpdate(
        agent -> {
          if (agent.step() == 33) {
            stop.request();
          }
        });
    Result first = run(interrupted, stop, trainArgs());
    assertEquals(TrainCommand.EXIT_STOPPED, first.exitCode(), first.err());
    assertTrue(first.out().contains("stopped at step 33 of 60"), first.out());

    Path run = onlyRun();
    FakeAgent.Factory resumed = new FakeAgent.Factory();
    Result second =
        run(
            resumed,
            new StopSignal(),
            "--dataset",
            datasetFile.toString(),
            "--resume",
            run.toString(),
            "--device",
            "cpu",
            "--no-progress");
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("finished at step 60 of 60"), second.out());
    assertEquals(run, onlyRun()); // continued in the same run directory
    assertArrayEquals(straight.last().weights(), resumed.last().weights());
  }

  @Test
  void resumeWithAnotherConfigIsRefusedNamingFileAndField() {
    assertEquals(0, run(trainArgs()).exitCode());
    Path run = onlyRun();
    Result result = run(trainArgs("--resume", run.toString(), "--set", "alpha=3"));
    assertEquals(1, result.exitCode());
    assertTrue(result.err().contains("step-000000060.ckpt"), result.err());
    assertTrue(
        result.err().contains("alpha is 5.0 in the checkpoint, 3.0 requested"), result.err());
  }

  @Test
  void damagedCheckpointIsRefusedWithExitOne() throws IOException {
    assertEquals(0, run(trainArgs()).exitCode());
    Path checkpoint = onlyRun().resolve("checkpoints/step-000000060.ckpt");
    byte[] bytes = Files.readAllBytes(checkpoint);
    bytes[bytes.length - 20] ^= 1;
    Files.write(checkpoint, bytes);
    Result result =
        run(
            "--dataset",
            datasetFile.toString(),
            "--resume",
            checkpoint.toString(),
            "--device",
            "cpu");
    assertEquals(1, result.exitCode());
    assertTrue(
        result.err().contains("checksum mismatch") && result.err().contains(checkpoint.toString()),
        result.err());
  }

  private Path onlyRun() {
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      List<Path> all = runs.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
