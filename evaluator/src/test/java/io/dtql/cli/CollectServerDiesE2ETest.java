package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local server killed in the middle of a collection spread over two servers: `collect` fails with
 * exit 1 and a one-line error, and leaves no file (neither the output nor a temporary one).
 */
@Tag("e2e")
class CollectServerDiesE2ETest {
  @Test
  void aServerKilledMidCollectionFailsTheCommandAndLeavesNoFile(@TempDir Path dir)
      throws Exception {
    Path output = dir.resolve("random.hdf5");
    // Servers of other tests in this JVM, if any, are not the collection's.
    List<ProcessHandle> before =
        ProcessHandle.current().children().filter(p -> isServer(p)).toList();
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    "collect",
                    "--task=hopper",
                    "--kind=random",
                    "--rows=2000000",
                    "--num-envs=8",
                    "--local-servers=2",
                    "--output=" + output));
    List<ProcessHandle> servers = List.of();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (servers.size() < 2) {
      assertTrue(System.nanoTime() < deadline, "two local servers did not start");
      assertTrue(!run.isDone(), () -> "collect ended early: " + run.join());
      Thread.sleep(100);
      servers =
          ProcessHandle.current()
              .children()
              .filter(p -> isServer(p) && !before.contains(p))
              .toList();
    }
    Thread.sleep(3000); // both sessions are stepping by now
    servers.get(1).destroyForcibly();

    CliRun failed = run.get(2, TimeUnit.MINUTES);
    // One error line naming the failed call, then the dead server's exit and its log's tail.
    assertEquals(1, failed.exitCode(), failed::toString);
    String first = failed.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith(CliRun.PREFIX + "simulator: Step failed"), failed::toString);
    assertTrue(failed.err().contains("exited with code 137"), failed::toString);
    assertTrue(!failed.err().contains("\tat "), () -> "no stack trace: " + failed);
    assertTrue(!Files.exists(output), "no output file");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "no temporary file left behind");
    }
    List<ProcessHandle> ours = servers;
    assertTrue(ours.stream().noneMatch(ProcessHandle::isAlive), "the surviving server was stopped");
  }

  private static boolean isServer(ProcessHandle p) {
    return p.isAlive()
        && p.info()
            .arguments()
            .map(a -> String.join(" ", a).contains("dtql_envserver"))
            .orElse(false);
  }
}
