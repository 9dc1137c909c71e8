package io.dtql.envbridge;

import java.util.List;

/**
 * One connection to one environment server. The handshake is done when the client is created, so a
 * client that exists speaks a compatible protocol. Every call has a deadline; failures are
 * unchecked {@link EnvException}s.
 */
public interface EnvClient extends AutoCloseable {

  /** What the server reported in the handshake. */
  ServerInfo serverInfo();

  /** The tasks the server can host. */
  List<TaskSpec> listTasks();

  /**
   * The full spec of one task.
   *
   * @throws NotFoundException if the server does not host it
   */
  TaskSpec describeTask(String taskId);

  /** Creates a session of {@code options.numEnvs()} sub-envs; reset it before the first step. */
  VectorEnv createSession(String taskId, SessionOptions options);

  /** Closes the connection. Sessions still open are left to the server's idle timeout. */
  @Override
  void close();
}
