package io.dtql.envbridge;

import io.grpc.Status;

/** A server limit was hit: too many sessions, too many envs, or a message too large. */
public class ResourceExhaustedException extends EnvException {
  private static final long serialVersionUID = 1L;

  public ResourceExhaustedException(String message, Throwable cause) {
    super(Status.Code.RESOURCE_EXHAUSTED, message, cause);
  }
}
