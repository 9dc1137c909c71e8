package io.dtql.cli;

import io.dtql.agent.io.Closeables;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import io.dtql.evaluator.simulator.LocalSimulator;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Where the simulator is: a running server given by {@code --target}, or (the default) a local
 * python-env-server started for this command and stopped when it ends.
 */
final class SimulatorOptions {
  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      split = ",",
      converter = TargetConverter.class,
      description =
          "Address of a running env server (evaluate: several, comma-separated, share the"
              + " episodes). Default: start a local python-env-server.")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "With --target: connect with TLS, trusting the CA certificate(s) in this PEM file (a"
              + " server started with --tls-cert). Default: plaintext.")
  Path tlsCa;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for the local server, e.g. --server-arg=--allow-env=Pendulum-v1 (repeatable).")
  List<String> serverArgs = new ArrayList<>();

  /** The command this mixin belongs to, so bad connection flags are usage errors (exit 2). */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The one --target given, or null for a local server; several are a usage error here. */
  String target() {
    if (targets.size() > 1) {
      throw usageError(
          new IllegalArgumentException(
              "--target takes one address for this command, got " + String.join(",", targets)));
    }
    return targets.isEmpty() ? null : targets.get(0);
  }

  /**
   * Where an evaluation runs: one endpoint per --target (dropped if it fails), or {@code
   * localServers} local servers started now (each restarted if it dies).
   */
  List<SimulatorEndpoint> endpoints(int localServers) {
    ClientOptions options = clientOptions();
    List<SimulatorEndpoint> endpoints = new ArrayList<>();
    try {
      for (String address : targets) {
        EnvClient client;
        try {
          client = EnvClients.connect(address, options);
        } catch (IllegalArgumentException e) {
          throw usageError(e);
        }
        endpoints.add(SimulatorEndpoint.fixed(address, client));
      }
      for (int i = 0; targets.isEmpty() && i < localServers; i++) {
        endpoints.add(LocalSimulator.start("local server " + (i + 1), launchOptions()));
      }
      return endpoints;
    } catch (RuntimeException e) {
      Closeables.closeAll(endpoints);
      throw e;
    }
  }

  /** Connects to the target, or starts a local server and connects to it. */
  Simulator open() {
    if (target() != null) {
      return new Simulator(null, connectToTarget());
    }
    clientOptions(); // refuses --tls-ca without --target before a server starts
    LocalEnvServer server = LocalEnvServer.start(launchOptions());
    try {
      return new Simulator(server, server.connect(ClientOptions.defaults()));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * Like {@link #open()}, but with {@code localServers} local servers, each a process of its own
   * (several processes step in parallel where one Python process is held to one core by its
   * interpreter lock). With --target, the one server given.
   */
  Simulators openAll(int localServers) {
    if (target() != null || localServers == 1) {
      return new Simulators(List.of(open()));
    }
    List<Simulator> started = new ArrayList<>();
    try {
      for (int i = 0; i < localServers; i++) {
        started.add(open());
      }
      return new Simulators(List.copyOf(started));
    } catch (RuntimeException e) {
      new Simulators(started).close();
      throw e;
    }
  }

  /**
   * The client for --target. Flags that cannot be used (--tls-ca without --target, a CA file that
   * is missing or not PEM) are the user's input, so they end as a usage error naming the flag.
   */
  private EnvClient connectToTarget() {
    try {
      return EnvClients.connect(target(), clientOptions());
    } catch (IllegalArgumentException e) {
      throw usageError(e);
    }
  }

  private RuntimeException usageError(IllegalArgumentException e) {
    return mixee == null ? e : new ParameterException(mixee.commandLine(), e.getMessage(), e);
  }

  /**
   * How to connect: TLS trusting --tls-ca when given. The local server (no --target) is plaintext
   * on loopback, so --tls-ca without --target is a usage error (a ParameterException inside a
   * command, an IllegalArgumentException outside one).
   */
  ClientOptions clientOptions() {
    if (tlsCa != null && targets.isEmpty()) {
      throw usageError(
          new IllegalArgumentException(
              "--tls-ca " + tlsCa + " needs --target: the local server is plaintext on loopback"));
    }
    return ClientOptions.defaults().withTlsCaFile(tlsCa);
  }

  /** How a local server is started: the project's venv, plus any --server-arg. */
  LaunchOptions launchOptions() {
    return LaunchOptions.defaults().withServerArgs(serverArgs.toArray(String[]::new));
  }

  /** Checks {@code --target} while parsing, so a malformed address is a usage error (exit 2). */
  static final class TargetConverter implements ITypeConverter<String> {
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

    @Override
    public String convert(String value) {
      Matcher m = HOST_PORT.matcher(value);
      if (!m.matches() || Integer.parseInt(m.group(2)) > 65_535) {
        throw new TypeConversionException(
            "expected HOST:PORT, e.g. localhost:50051, got '" + value + "'");
      }
      return value;
    }
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

  /** Several simulators, closed together. */
  record Simulators(List<Simulator> all) implements AutoCloseable {
    List<EnvClient> clients() {
      return all.stream().map(Simulator::client).toList();
    }

    @Override
    public void close() {
      Closeables.closeAll(all);
    }
  }
}
