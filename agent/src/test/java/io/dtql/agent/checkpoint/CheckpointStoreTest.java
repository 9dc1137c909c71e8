package io.dtql.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
}
