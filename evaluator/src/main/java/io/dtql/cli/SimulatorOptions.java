package io.dtql.cli;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the simulator is: a running server given by {@code --target}, or (the default) a local
 * python-env-server started for this command and stopped when it ends.
 */
final class SimulatorOptions {
  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description = "Address of a running env server. Default: start a local python-env-server.")
  String target;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for the local server, e.g. --server-arg=--allow-env=Pendulum-v1 (repeatable).")
  List<String> serverArgs = new ArrayList<>();

  /** Connects to the target, or starts a local server and connects to it. */
  Simulator open() {
    if (target != null) {
      return new Simulator(null, EnvClients.connect(target, ClientOptions.defaults()));
    }
    LocalEnvServer server = LocalEnvServer.start(launchOptions());
    try {
      return new Simulator(server, server.connect(ClientOptions.defaults()));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** How a local server is started: the project's venv, plus any --server-arg. */
  LaunchOptions launchOptions() {
    return LaunchOptions.defaults().withServerArgs(serverArgs.toArray(String[]::new));
  }

  /** A connected client and, when we started it, the local server behind it. */
  record Simulator(LocalEnvServer server, EnvClient client) implements AutoCloseable {
    @Override
    public void close() {
      try {
        client.close();
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }
  }
}
