package io.dtql.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path run;

  @Test
  void saveNamesFilesByStepAndMovesTheLatestPointer() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run);
    assertEquals(Optional.empty(), store.latest());
    Path first = store.save(CheckpointFileTest.sample(100_000));
    Path second = store.save(CheckpointFileTest.sample(200_000));
    assertEquals("step-000100000.ckpt", first.getFileName().toString());
    assertEquals(Optional.of(second), store.latest());
    assertEquals(200_000, CheckpointFile.read(store.latest().orElseThrow()).step());
  }

  @Test
  void withoutThePointerTheHighestStepWins() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run);
    store.save(CheckpointFileTest.sample(900));
    store.save(CheckpointFileTest.sample(1_000));
    store.save(CheckpointFileTest.sample(50));
    Files.delete(store.directory().resolve(CheckpointStore.LATEST_POINTER));
    assertEquals("step-000001000.ckpt", store.latest().orElseThrow().getFileName().toString());
  }

  @Test
  void resumeTargetResolvesRunDirectoriesCheckpointDirectoriesAndFiles() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run);
    Path saved = store.save(CheckpointFileTest.sample(7));
    assertEquals(saved, CheckpointStore.resolveResumeTarget(run));
    assertEquals(saved, CheckpointStore.resolveResumeTarget(store.directory()));
    assertEquals(saved, CheckpointStore.resolveResumeTarget(saved));
    assertEquals(Optional.of(run.toAbsolutePath()), CheckpointStore.runDirectoryOf(saved));
  }

  @Test
  void resumingFromAnEmptyOrMissingPlaceNamesIt() {
    CheckpointException empty =
        assertThrows(CheckpointException.class, () -> CheckpointStore.resolveResumeTarget(run));
    assertTrue(empty.getMessage().contains(run.toString()), empty.getMessage());
    Path missing = run.resolve("nowhere");
    CheckpointException gone =
        assertThrows(CheckpointException.class, () -> CheckpointStore.resolveResumeTarget(missing));
    assertTrue(gone.getMessage().contains("nowhere"), gone.getMessage());
  }

  @Test
  void temporariesOfAKilledWriterAreIgnoredAndCleanedUp() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run);
    store.save(CheckpointFileTest.sample(1));
    Path stale = store.directory().resolve(".step-000000002.ckpt12345.tmp");
    Files.write(stale, new byte[] {1, 2});
    assertEquals("step-000000001.ckpt", store.latest().orElseThrow().getFileName().toString());
    store.save(CheckpointFileTest.sample(3));
    assertFalse(Files.exists(stale));
  }

  @Test
  void keepingKDeletesOlderCheckpointsOnlyAfterTheNewOneIsSaved() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run).keeping(2);
    store.save(CheckpointFileTest.sample(10));
    store.save(CheckpointFileTest.sample(20));
    assertEquals(List.of("latest", "step-000000010.ckpt", "step-000000020.ckpt"), names(store));
    store.save(CheckpointFileTest.sample(30));
    assertEquals(List.of("latest", "step-000000020.ckpt", "step-000000030.ckpt"), names(store));
    assertEquals(30, CheckpointFile.read(store.latest().orElseThrow()).step());
    store.save(CheckpointFileTest.sample(40));
    assertEquals(List.of("latest", "step-000000030.ckpt", "step-000000040.ckpt"), names(store));
  }

  @Test
  void theCheckpointResumedFromSurvivesUntilANewerOneExists() throws IOException {
    // A run saved 10, 20 and 30 (keeping all); the user resumes from step 10, keeping one.
    CheckpointStore all = CheckpointStore.inRun(run);
    for (long step : new long[] {10, 20, 30}) {
      all.save(CheckpointFileTest.sample(step));
    }
    CheckpointStore keepOne = all.keeping(1);
    // The resumed run's first save (step 15) replaces the step-10 file it resumed from, and does
    // not touch 20 and 30: they belong to the abandoned continuation and are overwritten later.
    keepOne.save(CheckpointFileTest.sample(15));
    assertEquals(
        List.of("latest", "step-000000015.ckpt", "step-000000020.ckpt", "step-000000030.ckpt"),
        names(keepOne));
    assertEquals(15, CheckpointFile.read(keepOne.latest().orElseThrow()).step());
    keepOne.save(CheckpointFileTest.sample(20));
    assertEquals(List.of("latest", "step-000000020.ckpt", "step-000000030.ckpt"), names(keepOne));
  }

  @Test
  void keepingAllIsTheDefaultAndANegativeCountIsRefused() throws IOException {
    CheckpointStore store = CheckpointStore.inRun(run);
    for (long step = 1; step <= 5; step++) {
      store.save(CheckpointFileTest.sample(step));
    }
    assertEquals(6, names(store).size());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> store.keeping(-1));
    assertTrue(e.getMessage().contains("keep-checkpoints"), e.getMessage());
  }

  private static List<String> names(CheckpointStore store) throws IOException {
    try (Stream<Path> files = Files.list(store.directory())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
