package io.dtql.evaluator.simulator;

import io.dtql.envbridge.EnvDeadlineExceededException;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.EnvUnavailableException;
import io.grpc.Status;

/**
 * Which failed calls mean the server is gone (its work can be run elsewhere) rather than that the
 * request was wrong (which running it elsewhere would only repeat).
 */
public final class ServerFaults {
  private ServerFaults() {}

  /**
   * True for a server that died, hung past the call deadline, or dropped the connection; false for
   * an answer that refuses the request (invalid argument, unknown session, no capacity, ...).
   */
  public static boolean isServerFault(Throwable error) {
    if (error instanceof EnvUnavailableException || error instanceof EnvDeadlineExceededException) {
      return true;
    }
    if (error instanceof EnvException e) {
      return e.code() == Status.Code.UNKNOWN || e.code() == Status.Code.CANCELLED;
    }
    return false;
  }

  /**
   * The first line of a failure's message (a dead local server's message adds its stderr); the
   * exception's class name when it has no message.
   */
  public static String summary(Throwable error) {
    String message =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
