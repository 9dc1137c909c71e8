package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.data.DatasetException;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training API that `dtql train` and the quickstart share. */
class TrainerTest {
  private static final ProblemShape SHAPE = new ProblemShape(3, 2, 1f);

  @TempDir Path dir;

  /** Reads any path as the same tiny table, so the dataset file's content does not matter. */
  private static final DatasetSource TINY = (path, shape) -> TinyData.transitions(97, 3, 2);

  private static final OutputSettings OUTPUTS =
      new OutputSettings(0, CheckpointStore.KEEP_ALL, 10, false);

  private static DtqlConfig tiny(long trainSteps) {
    return Trainer.resolveConfig(
        ConfigFields.withOverrides(
            DtqlConfig.locomotionDefaults(), Map.of("preset", "tiny", "batch-size", "5")),
        Map.of("pretrain-steps", "10"),
        OptionalLong.of(3),
        OptionalLong.of(trainSteps));
  }

  private Path dataset() throws IOException {
    return Files.writeString(dir.resolve("tiny.hdf5"), "stand-in for a dataset file\n");
  }

  @Test
  void aStepBudgetScalesPretrainingToThePresetsRatioUnlessItIsSet() {
    DtqlConfig base = DtqlConfig.locomotionDefaults(); // 50,000 + 1,000,000
    DtqlConfig scaled =
        Trainer.resolveConfig(base, Map.of(), OptionalLong.of(7), OptionalLong.of(6000));
    assertEquals(6000, scaled.trainSteps());
    assertEquals(300, scaled.pretrainSteps());
    assertEquals(7, scaled.seed());

    DtqlConfig fixed =
        Trainer.resolveConfig(
            base, Map.of("pretrain-steps", "1500"), OptionalLong.empty(), OptionalLong.of(6000));
    assertEquals(1500, fixed.pretrainSteps());

    DtqlConfig untouched =
        Trainer.resolveConfig(base, Map.of(), OptionalLong.empty(), OptionalLong.empty());
    assertEquals(base, untouched);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            Trainer.resolveConfig(
                base, Map.of("no-such-field", "1"), OptionalLong.empty(), OptionalLong.empty()));
  }

  @Test
  void aRunPlacedInAGivenDirectoryKeepsItsOtherFilesAndCanBeResumed() throws IOException {
    Path quickstart = Files.createDirectories(dir.resolve("quickstart"));
    Path data = Files.createDirectories(quickstart.resolve("data"));
    Path dataset = Files.writeString(data.resolve("d.hdf5"), "data\n");
    Trainer trainer = new Trainer(new FakeAgent.Factory(), TINY);

    Trainer.Prepared prepared =
        trainer.prepare(
            new Trainer.NewRun(dataset, tiny(40), SHAPE, OUTPUTS, Trainer.Placement.at(quickstart)),
            Device.cpu());
    assertEquals(quickstart, prepared.run().path());
    assertTrue(Files.isRegularFile(quickstart.resolve(RunDirectory.CONFIG_FILE)));
    TrainingOutcome outcome =
        prepared.train(
            ProgressReporter.Factory.none(),
            new StopSignal(),
            ScheduledCallback.none(),
            Optional.empty());

    assertEquals(50, outcome.finalStep());
    assertFalse(outcome.stoppedEarly());
    assertEquals(
        quickstart.resolve("checkpoints").resolve(CheckpointStore.fileName(50)),
        outcome.lastCheckpoint().orElseThrow());
    assertTrue(Files.isRegularFile(quickstart.resolve(RunDirectory.METRICS_JSONL)));
    assertTrue(Files.isRegularFile(dataset), "the directory's other files stay");

    // The directory is a run like any other: a resume finds its config and dataset.
    ResumePlan plan =
        ResumePlanner.plan(
            new ResumeRequest(
                quickstart,
                Optional.empty(),
                Optional.empty(),
                OptionalLong.of(60),
                OptionalLong.empty(),
                Map.of(),
                true));
    assertEquals(dataset.toAbsolutePath(), plan.dataset().toAbsolutePath());
    Trainer.Prepared resumed = trainer.prepareResume(plan, OUTPUTS, Device.cpu(), dir);
    assertEquals(quickstart, resumed.run().path());
    assertEquals(50, resumed.startStep());
    TrainingOutcome extended =
        resumed.train(
            ProgressReporter.Factory.none(),
            new StopSignal(),
            ScheduledCallback.none(),
            Optional.empty());
    assertEquals(70, extended.finalStep());
  }

  @Test
  void aDirectoryThatAlreadyHoldsARunIsRefused() throws IOException {
    Trainer trainer = new Trainer(new FakeAgent.Factory(), TINY);
    Path target = dir.resolve("run");
    Trainer.NewRun request =
        new Trainer.NewRun(dataset(), tiny(5), SHAPE, OUTPUTS, Trainer.Placement.at(target));
    trainer.prepare(request, Device.cpu());
    assertThrows(FileAlreadyExistsException.class, () -> trainer.prepare(request, Device.cpu()));
  }

  @Test
  void runsPlacedUnderAParentGetNamedDirectoriesOfTheirOwn() throws IOException {
    Trainer trainer = new Trainer(new FakeAgent.Factory(), TINY);
    Path runs = dir.resolve("runs");
    Trainer.NewRun request =
        new Trainer.NewRun(dataset(), tiny(5), SHAPE, OUTPUTS, Trainer.Placement.under(runs));
    Path first = trainer.prepare(request, Device.cpu()).run().path();
    Path second = trainer.prepare(request, Device.cpu()).run().path();
    assertEquals(runs, first.getParent());
    assertTrue(first.getFileName().toString().startsWith("tiny__dtql__3__"), first.toString());
    assertFalse(first.equals(second));
  }

  @Test
  void nothingIsCreatedWhenTheDatasetCannotBeRead() {
    DatasetSource broken =
        (path, shape) -> {
          throw new DatasetException(path, "not HDF5");
        };
    Trainer trainer = new Trainer(new FakeAgent.Factory(), broken);
    Path target = dir.resolve("never");
    assertThrows(
        DatasetException.class,
        () ->
            trainer.prepare(
                new Trainer.NewRun(
                    dataset(), tiny(5), SHAPE, OUTPUTS, Trainer.Placement.at(target)),
                Device.cpu()));
    assertFalse(Files.exists(target));
  }

  @Test
  void aTimeLimitEndsTrainingWithACheckpointThatResumeContinuesFrom() throws IOException {
    FakeAgent.Factory agents = new FakeAgent.Factory();
    agents.afterUpdate(
        agent -> {
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Trainer trainer = new Trainer(agents, TINY);
    Path target = dir.resolve("limited");
    Trainer.Prepared prepared =
        trainer.prepare(
            new Trainer.NewRun(
                dataset(), tiny(1_000_000), SHAPE, OUTPUTS, Trainer.Placement.at(target)),
            Device.cpu());
    TrainingOutcome outcome =
        prepared.train(
            ProgressReporter.Factory.none(),
            new StopSignal(),
            ScheduledCallback.none(),
            Optional.of(Duration.ofMillis(200)));

    assertTrue(outcome.timeLimitReached());
    assertFalse(outcome.stoppedEarly());
    assertTrue(outcome.finalStep() > 0 && outcome.finalStep() < 1_000_010, "" + outcome);
    assertEquals(
        CheckpointStore.fileName(outcome.finalStep()),
        outcome.lastCheckpoint().orElseThrow().getFileName().toString());
    try (Stream<Path> files = Files.list(target.resolve("checkpoints"))) {
      assertEquals(
          List.of(CheckpointStore.fileName(outcome.finalStep())),
          files
              .map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith(".ckpt"))
              .toList());
    }
  }
}
