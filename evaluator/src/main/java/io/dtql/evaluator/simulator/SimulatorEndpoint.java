package io.dtql.evaluator.simulator;

import io.dtql.envbridge.EnvClient;

/**
 * A simulator server an evaluation can run sessions on: a remote server given by its address, or a
 * local server this process started (which can be started again when it dies).
 */
public interface SimulatorEndpoint extends AutoCloseable {
  /** Names the server in results and messages, e.g. {@code local server 1} or HOST:PORT. */
  String name();

  /** The connected client. */
  EnvClient client();

  /**
   * Replaces a server that failed by a fresh one, so its work can continue there; false when this
   * endpoint cannot (a remote server, or a local one restarted too often), and it is then dropped.
   */
  boolean restart();

  @Override
  void close();

  /** A server reached through {@code client}, never restarted; closing closes the client. */
  static SimulatorEndpoint fixed(String name, EnvClient client) {
    return new SimulatorEndpoint() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public EnvClient client() {
        return client;
      }

      @Override
      public boolean restart() {
        return false;
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
