package io.dtql.envbridge.launcher;

/** The local environment server could not be started or did not become ready in time. */
public class EnvServerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvServerStartException(String message) {
    super(message);
  }

  public EnvServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
