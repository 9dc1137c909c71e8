package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.train.FakeAgent;
import io.dtql.agent.train.StopSignal;
import io.dtql.agent.train.TensorBoardEvents;
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
            "tensorboard",
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
    assertTrue(none.err().contains("--dataset is required (or --resume RUN"), none.err());
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
    assertFalse(Files.exists(run.resolve("tensorboard")), "no event files unless --tensorboard");
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
    FakeAgent.Factory interrupted = stoppingAt(33, stop);
    Result first = run(interrupted, stop, trainArgs());
    assertEquals(CliErrors.EXIT_STOPPED, first.exitCode(), first.err());
    assertTrue(first.out().contains("stopped at step 33 of 60"), first.out());

    Path run = onlyRun();
    String recordBefore = Files.readString(run.resolve("config.json"));
    // As the README shows it: only the run directory; dataset, preset and settings come from
    // the run's config.json.
    FakeAgent.Factory resumed = new FakeAgent.Factory();
    Result second = run(resumed, new StopSignal(), "--resume", run.toString(), "--no-progress");
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("finished at step 60 of 60"), second.out());
    assertEquals(run, onlyRun()); // continued in the same run directory
    assertArrayEquals(straight.last().weights(), resumed.last().weights());

    JsonObject before = JsonParser.parseString(recordBefore).getAsJsonObject();
    JsonObject after = config(run);
    assertEquals(before.get("dataset"), after.get("dataset"));
    assertEquals(before.get("dataset_files"), after.get("dataset_files"));
    assertEquals(before.get("config"), after.get("config"));
    assertEquals(before.get("outputs"), after.get("outputs")); // checkpoint every 25, log every 10
    JsonObject resume = after.getAsJsonArray("resumes").get(0).getAsJsonObject();
    assertEquals(33, resume.get("step").getAsLong());
    assertTrue(resume.get("from").getAsString().endsWith("step-000000033.ckpt"), resume.toString());
    assertEquals(
        List.of(10L, 20L, 30L, 33L, 40L, 50L, 60L), loggedSteps(run)); // the run's --log-every
  }

  @Test
  void tensorBoardFlagWritesEventFilesAndAResumeKeepsWritingThem() throws IOException {
    StopSignal stop = new StopSignal();
    FakeAgent.Factory interrupted = stoppingAt(33, stop);
    List<String> args = new ArrayList<>(List.of(trainArgs()));
    args.add("--tensorboard");
    Result first = run(interrupted, stop, args.toArray(String[]::new));
    assertEquals(CliErrors.EXIT_STOPPED, first.exitCode(), first.err());
    Path run = onlyRun();
    assertTrue(config(run).getAsJsonObject("outputs").get("metrics_tensorboard").getAsBoolean());

    // The resume names only the run: config.json says to go on writing event files.
    Result second = run("--resume", run.toString(), "--no-progress");
    assertEquals(0, second.exitCode(), second.err());
    List<Path> files;
    try (Stream<Path> listed = Files.list(run.resolve("tensorboard"))) {
      files = listed.sorted().toList();
    }
    assertEquals(2, files.size(), "one events file per process: " + files);
    for (Path file : files) {
      assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
    }
    List<TensorBoardEvents.Event> before = TensorBoardEvents.read(files.get(0));
    List<TensorBoardEvents.Event> after = TensorBoardEvents.read(files.get(1));
    assertEquals(List.of(10L, 20L, 30L, 33L), scalarSteps(before));
    assertEquals(34, after.get(1).step(), "the restart marker follows the resumed step 33");
    assertEquals(List.of(40L, 50L, 60L), scalarSteps(after));
    // The same rows as metrics.jsonl: each column is a tag at the row's step.
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    JsonObject last = JsonParser.parseString(rows.get(rows.size() - 1)).getAsJsonObject();
    Map<String, Float> lastScalars = after.get(after.size() - 1).scalars();
    assertEquals(
        List.of("wall_time_s", "charts/steps_per_s", "losses/actor", "losses/bc", "losses/critic"),
        List.copyOf(lastScalars.keySet()));
    assertEquals((float) last.get("losses/critic").getAsDouble(), lastScalars.get("losses/critic"));

    // --no-tensorboard stops a resumed run writing them, and config.json records it.
    Result off = run("--resume", run.toString(), "--steps", "67", "--force", "--no-tensorboard");
    assertEquals(0, off.exitCode(), off.err());
    assertTrue(off.out().contains("finished at step 70 of 70"), off.out());
    try (Stream<Path> listed = Files.list(run.resolve("tensorboard"))) {
      assertEquals(2, listed.count());
    }
    assertFalse(config(run).getAsJsonObject("outputs").get("metrics_tensorboard").getAsBoolean());
  }

  private static List<Long> scalarSteps(List<TensorBoardEvents.Event> events) {
    return events.stream().filter(e -> !e.scalars().isEmpty()).map(e -> e.step()).toList();
  }

  @Test
  void minutesEndsTrainingAtTheLimitWithACheckpointAndExitZero() throws IOException {
    FakeAgent.Factory slow = new FakeAgent.Factory();
    slow.afterUpdate(
        agent -> {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    // 0.005 minutes = 300 ms: a few of the 1,050,000 steps at 20 ms each.
    Result result =
        run(slow, new StopSignal(), trainArgs("--steps", "1000000", "--minutes", "0.005"));
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("stopped at the --minutes limit at step "), result.out());
    long step = slow.last().step();
    assertTrue(step > 0 && step < 1_050_000, "step " + step);
    try (Stream<Path> files = Files.list(onlyRun().resolve("checkpoints"))) {
      assertTrue(
          files.anyMatch(
              f -> f.getFileName().toString().equals(String.format("step-%09d.ckpt", step))),
          "a checkpoint at the last step");
    }
    assertEquals(2, run(trainArgs("--minutes", "0")).exitCode());
  }

  @Test
  void resumeRefusesFlagsThatChangeTheRunNamingEachFlag() {
    assertEquals(0, run(trainArgs()).exitCode());
    Path run = onlyRun();
    Result result =
        run(
            "--resume",
            run.toString(),
            "--preset",
            "walker2d-medium",
            "--seed",
            "6",
            "--set",
            "alpha=3",
            "--set",
            "batch-size=8", // the run's own value: accepted
            "--no-progress");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("--preset walker2d-medium"), result.err());
    assertTrue(result.err().contains("--seed 6 (the run's seed is 5)"), result.err());
    assertTrue(result.err().contains("--set alpha=3 (the run's alpha is 5.0)"), result.err());
    assertTrue(!result.err().contains("batch-size=8"), result.err());
    assertTrue(result.err().contains("config.json"), result.err());
  }

  @Test
  void resumeRefusesAnotherDatasetNamingWhatDiffersAndKeepsTheRecord() throws IOException {
    assertEquals(0, run(trainArgs()).exitCode());
    Path run = onlyRun();
    String record = Files.readString(run.resolve("config.json"));
    String recorded = datasetFile.toAbsolutePath().toString();

    Path other = Files.writeString(dir.resolve("walker.hdf5"), "another dataset altogether");
    Result otherFile = run("--resume", run.toString(), "--dataset", other.toString());
    assertEquals(1, otherFile.exitCode());
    assertTrue(otherFile.err().contains("size differs"), otherFile.err());
    assertTrue(otherFile.err().contains("recorded for " + recorded), otherFile.err());
    assertTrue(otherFile.err().contains("now at " + other.toAbsolutePath()), otherFile.err());

    // The same file replaced in place by data of the same size: only the hash tells.
    byte[] bytes = Files.readAllBytes(datasetFile);
    bytes[0] ^= 1;
    Files.write(datasetFile, bytes);
    Result replaced = run("--resume", run.toString());
    assertEquals(1, replaced.exitCode());
    assertTrue(replaced.err().contains("content hash (SHA-256) differs"), replaced.err());
    assertTrue(replaced.err().contains(recorded), replaced.err());

    assertEquals(record, Files.readString(run.resolve("config.json")));
  }

  @Test
  void resumeAcceptsTheSameDataMovedElsewhereAndKeepsTheOriginalPathOnRecord() throws IOException {
    StopSignal stop = new StopSignal();
    FakeAgent.Factory agents = stoppingAt(30, stop);
    assertEquals(CliErrors.EXIT_STOPPED, run(agents, stop, trainArgs()).exitCode());
    Path run = onlyRun();
    Path moved = Files.createDirectories(dir.resolve("elsewhere")).resolve("copy.hdf5");
    Files.move(datasetFile, moved);

    Result missing = run("--resume", run.toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("pass --dataset"), missing.err());

    Result result = run("--resume", run.toString(), "--dataset", moved.toString());
    assertEquals(0, result.exitCode(), result.err());
    JsonObject record = config(run);
    assertEquals(datasetFile.toAbsolutePath().toString(), record.get("dataset").getAsString());
    assertEquals(
        moved.toAbsolutePath().toString(),
        record.getAsJsonArray("resumes").get(0).getAsJsonObject().get("dataset").getAsString());
  }

  @Test
  void resumeWithMoreStepsExtendsTheRunAsIfItHadBeenLongerFromTheStart() throws IOException {
    FakeAgent.Factory straight = new FakeAgent.Factory();
    assertEquals(
        0,
        run(
                straight,
                new StopSignal(),
                trainArgs(
                    "--steps", // 3 pretraining + 87 training steps, as the extended run below
                    "87",
                    "--set",
                    "pretrain-steps=3",
                    "--output-dir",
                    dir.resolve("straight").toString(),
                    "--set",
                    "lr-decay=false"))
            .exitCode());

    // Without learning-rate decay (the preset has it on; see the next test) no --force is needed.
    assertEquals(0, run(trainArgs("--set", "lr-decay=false")).exitCode());
    Path run = onlyRun();
    FakeAgent.Factory extended = new FakeAgent.Factory();
    Result result = run(extended, new StopSignal(), "--resume", run.toString(), "--steps", "87");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("finished at step 90 of 90"), result.out());
    // The batch stream continues where it stopped, so the parameters match a 90-step run.
    assertArrayEquals(straight.last().weights(), extended.last().weights());

    JsonObject config = config(run).getAsJsonObject("config");
    assertEquals(87, config.get("train-steps").getAsLong());
    assertEquals(3, config.get("pretrain-steps").getAsLong(), "pretraining is not rescaled");
    JsonObject resume = config(run).getAsJsonArray("resumes").get(0).getAsJsonObject();
    assertEquals(57, resume.get("train_steps_before").getAsLong());
    assertEquals(87, resume.get("train_steps").getAsLong());
    assertEquals(
        87,
        io.dtql.agent.checkpoint.CheckpointFile.read(run.resolve("checkpoints/step-000000090.ckpt"))
            .config()
            .trainSteps());

    // Resuming the finished, extended run again needs no --steps: config.json says 90.
    Result again = run("--resume", run.toString());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("finished at step 90 of 90"), again.out());

    Result shorter = run("--resume", run.toString(), "--steps", "70");
    assertEquals(2, shorter.exitCode());
    assertTrue(shorter.err().contains("--steps 70 is below the run's train-steps 87"));
  }

  @Test
  void extendingARunWithLearningRateDecayNeedsForce() throws IOException {
    assertEquals(0, run(trainArgs("--set", "lr-decay=true")).exitCode());
    Path run = onlyRun();
    Result refused = run("--resume", run.toString(), "--steps", "87");
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("lr-decay=true"), refused.err());
    assertTrue(refused.err().contains("--force"), refused.err());
    assertEquals(57, config(run).getAsJsonObject("config").get("train-steps").getAsLong());

    Result forced = run("--resume", run.toString(), "--steps", "87", "--force");
    assertEquals(0, forced.exitCode(), forced.err());
    assertTrue(forced.out().contains("finished at step 90 of 90"), forced.out());

    List<String> newRunWithForce = new ArrayList<>(List.of(trainArgs()));
    newRunWithForce.add("--force");
    Result forceWithoutResume = run(newRunWithForce.toArray(String[]::new));
    assertEquals(2, forceWithoutResume.exitCode());
    assertTrue(forceWithoutResume.err().contains("--force applies only to --resume"));
  }

  @Test
  void keepsTheNewestCheckpointsAndAResumeKeepsTheRunsRetention() throws IOException {
    StopSignal stop = new StopSignal();
    FakeAgent.Factory agents = stoppingAt(42, stop);
    Result first =
        run(agents, stop, trainArgs("--checkpoint-every", "10", "--keep-checkpoints", "2"));
    assertEquals(CliErrors.EXIT_STOPPED, first.exitCode(), first.err());
    Path run = onlyRun();
    assertEquals(
        List.of("latest", "step-000000040.ckpt", "step-000000042.ckpt"), checkpointNames(run));

    assertEquals(0, run("--resume", run.toString()).exitCode());
    assertEquals(
        List.of("latest", "step-000000050.ckpt", "step-000000060.ckpt"), checkpointNames(run));

    Result bad = run(trainArgs("--keep-checkpoints", "-1"));
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--keep-checkpoints must be >= 0"), bad.err());
  }

  @Test
  void checkpointOfAnotherRunIsRefusedNamingFileAndField() throws IOException {
    assertEquals(0, run(trainArgs()).exitCode());
    assertEquals(
        0,
        run(trainArgs("--set", "alpha=3", "--output-dir", dir.resolve("b").toString())).exitCode());
    Path run = onlyRun();
    Path foreign = onlyChild(dir.resolve("b")).resolve("checkpoints/step-000000060.ckpt");
    Files.copy(foreign, run.resolve("checkpoints/step-000000070.ckpt"));
    Files.delete(run.resolve("checkpoints/latest"));
    Result result = run("--resume", run.toString());
    assertEquals(1, result.exitCode());
    assertTrue(result.err().contains("step-000000070.ckpt"), result.err());
    assertTrue(
        result.err().contains("alpha is 3.0 in the checkpoint, 5.0 requested"), result.err());
  }

  @Test
  void aCheckpointOutsideARunDirectoryNeedsTheDatasetAndStartsANewRun() throws IOException {
    assertEquals(0, run(trainArgs("--output-dir", dir.resolve("first").toString())).exitCode());
    Path loose =
        Files.copy(
            onlyChild(dir.resolve("first")).resolve("checkpoints/step-000000050.ckpt"),
            dir.resolve("kept.ckpt"));
    Result noDataset = run("--resume", loose.toString());
    assertEquals(2, noDataset.exitCode());
    assertTrue(noDataset.err().contains("--dataset is required"), noDataset.err());

    Result result =
        run(
            "--resume",
            loose.toString(),
            "--dataset",
            datasetFile.toString(),
            "--output-dir",
            dir.resolve("runs").toString());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("finished at step 60 of 60"), result.out());
    JsonObject record = config(onlyRun());
    assertEquals(loose.toAbsolutePath().toString(), record.get("resumed_from").getAsString());
    assertTrue(record.has("dataset_files"));
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

  private static JsonObject config(Path run) throws IOException {
    return JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
  }

  private static List<Long> loggedSteps(Path run) throws IOException {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong())
        .toList();
  }

  private static List<String> checkpointNames(Path run) throws IOException {
    try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Path onlyChild(Path parent) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      List<Path> all = children.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
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

  /** Agents that ask {@code stop} to end the run once their update {@code step} is done. */
  private static FakeAgent.Factory stoppingAt(long step, StopSignal stop) {
    FakeAgent.Factory agents = new FakeAgent.Factory();
    agents.afterUpdate(
        agent -> {
          if (agent.step() == step) {
            stop.request();
          }
        });
    return agents;
  }
}
