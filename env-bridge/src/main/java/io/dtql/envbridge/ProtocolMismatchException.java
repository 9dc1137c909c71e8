package io.dtql.envbridge;

import io.grpc.Status;

/**
 * Client and server speak different major versions of the contract: either the server refused the
 * client in the handshake, or the client refused the server.
 */
public class ProtocolMismatchException extends EnvException {
  private static final long serialVersionUID = 1L;

  public ProtocolMismatchException(String message, Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, message, cause);
  }
}
