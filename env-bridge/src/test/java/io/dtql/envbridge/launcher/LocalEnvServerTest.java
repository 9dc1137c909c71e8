package io.dtql.envbridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.FakeEnvService;
import io.dtql.envbridge.grpc.GrpcEnvClient;
import io.dtql.envbridge.grpc.TestServers;
import io.grpc.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launcher behaviour with fake "servers": bash scripts standing in for the Python interpreter. */
class LocalEnvServerTest {
  @TempDir Path dir;

  private Path script(String body) throws Exception {
    Path script = dir.resolve("fake-python");
    Files.writeString(script, "#!/usr/bin/env bash\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private LaunchOptions options(Path python, Duration timeout) {
    return LaunchOptions.defaults().withPython(python).withStartTimeout(timeout);
  }

  @Test
  void serverExitingEarlyFailsWithExitCodeAndStderr() throws Exception {
    Path python = script("echo 'ModuleNotFoundError: No module named mujoco' >&2\nexit 3");
    var error =
        assertThrows(
            EnvServerStartException.class,
            () -> LocalEnvServer.start(options(python, Duration.ofSeconds(20))));
    assertTrue(error.getMessage().contains("exited with code 3"), error.getMessage());
    assertTrue(error.getMessage().contains("No module named mujoco"), error.getMessage());
  }

  @Test
  void serverNeverPrintingListeningTimesOutAndIsStopped() throws Exception {
    Path pidFile = dir.resolve("pid");
    Path python = script("echo $$ > " + pidFile + "\necho 'loading tasks' >&2\nexec sleep 60");
    long start = System.nanoTime();
    var error =
        assertThrows(
            EnvServerStartException.class,
            () -> LocalEnvServer.start(options(python, Duration.ofSeconds(1))));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
    assertTrue(error.getMessage().contains("did not print"), error.getMessage());
    assertTrue(error.getMessage().contains("loading tasks"), error.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "the timed-out child must be stopped");
  }

  @Test
  void missingInterpreterIsNamedInTheError() {
    Path missing = dir.resolve("no-such-python");
    var error =
        assertThrows(
            EnvServerStartException.class,
            () -> LocalEnvServer.start(options(missing, Duration.ofSeconds(5))));
    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
  }

  @Test
  void readyServerIsReachableAndChildDeathIsReportedWithItsStderr() throws Exception {
    Server grpcServer = TestServers.servingOnFreePort(new FakeEnvService());
    try {
      Path python =
          script(
              "echo 'fake server: tasks loaded' >&2\n"
                  + "echo 'DTQL_ENV_SERVER_LISTENING 127.0.0.1:"
                  + grpcServer.getPort()
                  + "'\n"
                  + "exec sleep 60");
      try (LocalEnvServer server = LocalEnvServer.start(options(python, Duration.ofSeconds(20)));
          GrpcEnvClient client = server.connect(ClientOptions.defaults())) {
        assertEquals("127.0.0.1:" + grpcServer.getPort(), server.address());
        assertEquals("fake", client.serverInfo().serverName());

        ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly();
        grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        var error = assertThrows(EnvUnavailableException.class, client::listTasks);
        assertTrue(error.getMessage().contains("exited with code 137"), error.getMessage());
        assertTrue(error.getMessage().contains("fake server: tasks loaded"), error.getMessage());
      }
    } finally {
      grpcServer.shutdownNow();
    }
  }

  @Test
  void closeStopsTheChildAndIsIdempotent() throws Exception {
    Server grpcServer = TestServers.servingOnFreePort();
    try {
      Path python =
          script(
              "echo 'DTQL_ENV_SERVER_LISTENING 127.0.0.1:"
                  + grpcServer.getPort()
                  + "'\n"
                  + "exec sleep 60");
      LocalEnvServer server = LocalEnvServer.start(options(python, Duration.ofSeconds(20)));
      ProcessHandle child = ProcessHandle.of(server.pid()).orElseThrow();
      assertTrue(child.isAlive());
      server.close();
      server.close();
      assertFalse(child.isAlive());
    } finally {
      grpcServer.shutdownNow();
    }
  }
}
