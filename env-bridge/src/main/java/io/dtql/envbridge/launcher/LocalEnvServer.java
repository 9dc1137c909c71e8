package io.dtql.envbridge.launcher;

import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.grpc.GrpcEnvClient;
import io.dtql.envbridge.grpc.RawEnvProbe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python environment server run as a child process on a free loopback port.
 *
 * <p>{@link #start} returns only once the server printed its LISTENING line and reports health
 * SERVING; otherwise it stops the child and throws {@link EnvServerStartException} with the exit
 * code and the child's stderr tail. The child is always stopped: by {@link #close()} (SIGTERM, then
 * SIGKILL after 10 s) or by a JVM shutdown hook. Clients from {@link #connect} report the child's
 * exit code and stderr tail if it dies under them.
 */
public final class LocalEnvServer implements AutoCloseable {
  /** The one stdout line the server prints once bound, followed by {@code host:port}. */
  public static final String LISTENING_PREFIX = "DTQL_ENV_SERVER_LISTENING ";

  private static final Logger log = LoggerFactory.getLogger(LocalEnvServer.class);
  private static final int STDERR_TAIL_LINES = 200;
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration HEALTH_CALL_DEADLINE = Duration.ofSeconds(2);

  private final Process process;
  private final OutputTail stderrTail = new OutputTail(STDERR_TAIL_LINES);
  private final Thread stderrDrain;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String address;

  private LocalEnvServer(Process process) {
    this.process = process;
    this.stderrDrain =
        daemon(
            "env-server-stderr-" + process.pid(),
            () ->
                drain(
                    process.getErrorStream(),
                    line -> {
                      stderrTail.add(line);
                      log.debug("[env-server] {}", line);
                    }));
    this.shutdownHook = new Thread(this::stopProcess, "env-server-shutdown-" + process.pid());
  }

  /** Starts the server and waits until it is ready. */
  public static LocalEnvServer start(LaunchOptions options) {
    Path python = options.pythonOrNull() != null ? options.pythonOrNull() : defaultPython();
    if (!Files.isExecutable(python)) {
      throw new EnvServerStartException(
          "Python interpreter not found or not executable: "
              + python
              + " (run scripts/setup.sh to create python-env-server/.venv)");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                python.toString(),
                "-m",
                "dtql_envserver",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                // A launcher killed with -9 cannot stop its server; the server notices instead.
                "--exit-with-parent"));
    command.addAll(options.serverArgs());
    ProcessBuilder builder = new ProcessBuilder(command);
    // Python block-buffers a piped stdout; the LISTENING line must arrive as soon as it is printed.
    builder.environment().put("PYTHONUNBUFFERED", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new EnvServerStartException("cannot run " + String.join(" ", command), e);
    }
    LocalEnvServer server = new LocalEnvServer(process);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.awaitReady(command, options.startTimeout());
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * The project's virtual-environment interpreter, {@code
   * <root>/python-env-server/.venv/bin/python}.
   */
  public static Path defaultPython() {
    return ProjectRoot.locate().resolve(ProjectRoot.MARKER).resolve(".venv/bin/python");
  }

  private void awaitReady(List<String> command, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      log.debug("could not close the server's stdin", e);
    }
    stderrDrain.start();
    CompletableFuture<String> listening = new CompletableFuture<>();
    daemon(
            "env-server-stdout-" + process.pid(),
            () ->
                drain(
                    process.getInputStream(),
                    line -> {
                      if (!listening.isDone() && line.startsWith(LISTENING_PREFIX)) {
                        listening.complete(line.substring(LISTENING_PREFIX.length()).trim());
                      } else {
                        log.info("[env-server stdout] {}", line);
                      }
                    }))
        .start();
    address = awaitListening(listening, deadline, command, timeout);
    awaitServing(deadline, timeout);
    process
        .onExit()
        .thenAccept(
            p -> {
              if (!closed.get()) {
                log.warn(
                    "env server (pid {}) exited unexpectedly with code {}; stderr tail:\n{}",
                    p.pid(),
                    p.exitValue(),
                    stderrTail());
              }
            });
    log.info("env server (pid {}) ready at {}", process.pid(), address);
  }

  private String awaitListening(
      CompletableFuture<String> listening, long deadline, List<String> command, Duration timeout) {
    while (true) {
      try {
        return listening.get(Math.min(100_000_000L, remaining(deadline)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (!process.isAlive()) {
          throw new EnvServerStartException(diedBeforeReady(command));
        }
        if (remaining(deadline) <= 0) {
          throw new EnvServerStartException(
              "env server did not print '"
                  + LISTENING_PREFIX.trim()
                  + " host:port' within "
                  + timeout.toSeconds()
                  + " s (command: "
                  + String.join(" ", command)
                  + "); stderr tail:\n"
                  + stderrTail());
        }
      } catch (ExecutionException e) {
        throw new EnvServerStartException("reading the server's stdout failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EnvServerStartException("interrupted while waiting for the env server", e);
      }
    }
  }

  private void awaitServing(long deadline, Duration timeout) {
    ClientOptions probeOptions = ClientOptions.defaults().withCallDeadline(HEALTH_CALL_DEADLINE);
    String lastStatus = "no answer";
    try (RawEnvProbe probe = RawEnvProbe.connect(address, probeOptions)) {
      while (true) {
        try {
          lastStatus = probe.healthStatus("");
          if ("SERVING".equals(lastStatus)) {
            return;
          }
        } catch (EnvException e) {
          lastStatus = e.getMessage();
        }
        if (!process.isAlive()) {
          throw new EnvServerStartException(diedBeforeReady(List.of("health check")));
        }
        if (remaining(deadline) <= 0) {
          throw new EnvServerStartException(
              "env server at "
                  + address
                  + " did not report health SERVING within "
                  + timeout.toSeconds()
                  + " s (last: "
                  + lastStatus
                  + "); stderr tail:\n"
                  + stderrTail());
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  private String diedBeforeReady(List<String> context) {
    waitForStderr();
    return "env server exited with code "
        + process.exitValue()
        + " before it was ready ("
        + String.join(" ", context)
        + "); stderr tail:\n"
        + stderrTail();
  }

  /** {@code host:port} the server listens on. */
  public String address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines the server wrote to stderr. */
  public String stderrTail() {
    return stderrTail.text();
  }

  /** A client connected to this server; UNAVAILABLE errors carry the child's fate. */
  public GrpcEnvClient connect(ClientOptions options) {
    if (closed.get()) {
      throw new IllegalStateException("env server is closed");
    }
    return EnvClients.connect(address, options, this::deathReport);
  }

  /**
   * After a transport failure: how the child died (exit code, stderr tail), or null if it is still
   * running.
   */
  private String deathReport() {
    try {
      // The dropped connection usually reaches the client before the OS reports the exit.
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (process.isAlive()) {
      return null;
    }
    waitForStderr();
    return "local env server (pid "
        + process.pid()
        + ") exited with code "
        + process.exitValue()
        + "; its stderr tail:\n"
        + stderrTail();
  }

  private void waitForStderr() {
    try {
      stderrDrain.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the server: SIGTERM, up to 10 s grace, then SIGKILL. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook is running or will run.
    }
    stopProcess();
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "env server (pid {}) ignored SIGTERM for {} s; killing it",
            process.pid(),
            STOP_GRACE.toSeconds());
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvServerStartException("interrupted while waiting for the env server", e);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void drain(InputStream stream, Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
      }
    } catch (IOException e) {
      // The stream closes when the process dies; nothing more to read.
      log.trace("output stream closed", e);
    }
  }
}
