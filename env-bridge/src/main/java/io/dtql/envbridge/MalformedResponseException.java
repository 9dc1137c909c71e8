package io.dtql.envbridge;

import io.grpc.Status;

/**
 * The server answered, but its response breaks the contract (wrong tensor dtype, shape or byte
 * length, wrong number of envs). The message names the offending field.
 */
public class MalformedResponseException extends EnvException {
  private static final long serialVersionUID = 1L;

  public MalformedResponseException(String message, Throwable cause) {
    super(Status.Code.INTERNAL, message, cause);
  }
}
