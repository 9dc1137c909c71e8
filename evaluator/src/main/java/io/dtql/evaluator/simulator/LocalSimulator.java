package io.dtql.evaluator.simulator;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A python-env-server process this JVM started, restarted (a few times at most) when it dies. */
public final class LocalSimulator implements SimulatorEndpoint {
  /** More restarts than this means something kills every server; better to stop and say so. */
  public static final int MAX_RESTARTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LocalSimulator.class);

  private final String name;
  private final LaunchOptions launch;
  private LocalEnvServer server;
  private EnvClient client;
  private int restarts;

  private LocalSimulator(String name, LaunchOptions launch) {
    this.name = name;
    this.launch = launch;
    startServer();
  }

  /** Starts a server now; {@code name} labels it in results (e.g. "local server 2"). */
  public static LocalSimulator start(String name, LaunchOptions launch) {
    return new LocalSimulator(name, launch);
  }

  private void startServer() {
    server = LocalEnvServer.start(launch);
    try {
      client = server.connect(ClientOptions.defaults());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized EnvClient client() {
    return client;
  }

  /** The running server's process (for tests that need to stop it). */
  public synchronized LocalEnvServer server() {
    return server;
  }

  @Override
  public synchronized boolean restart() {
    if (restarts >= MAX_RESTARTS) {
      return false;
    }
    restarts++;
    closeServer();
    LOG.warn("{}: starting a new server (restart {} of at most {})", name, restarts, MAX_RESTARTS);
    startServer();
    return true;
  }

  private void closeServer() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }

  @Override
  public synchronized void close() {
    closeServer();
  }
}
