package io.dtql.envbridge.grpc;

import io.dtql.envbridge.EnvDeadlineExceededException;
import io.dtql.envbridge.EnvException;
import io.dtql.proto.env.v1.EnvServiceGrpc.EnvServiceStub;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Steps of one session sent over a StepStream: one request out, one response back, in order.
 *
 * <p>The stream is opened at the first step and kept open; a failed step (an error status from the
 * server, a transport failure or a missed deadline) ends it, and the next step opens a new one. The
 * whole stream has no gRPC deadline (a session can run for hours); instead each step waits at most
 * the per-call deadline for its response, and a late step cancels the stream. Responses are handed
 * over through a queue filled on gRPC's network thread, so the caller thread blocks like a unary
 * call does. Not thread-safe: the owning session serialises its steps.
 */
final class StepStreamCall implements AutoCloseable {
  private final EnvServiceStub stub;
  private final Duration stepDeadline;
  private final StatusMapper statusMapper;

  /** Written by the stepping thread; read by {@link #cancel} from any thread. */
  private volatile OpenStream open;

  StepStreamCall(EnvServiceStub stub, Duration stepDeadline, StatusMapper statusMapper) {
    // The observer only enqueues, so it may run directly on the network thread (no executor hop).
    this.stub = stub.withExecutor(Runnable::run);
    this.stepDeadline = stepDeadline;
    this.statusMapper = statusMapper;
  }

  /** Sends one step and waits for its response, mapping failures like a unary call. */
  StepResponse step(StepRequest request) {
    if (open == null) {
      open = new OpenStream();
      open.requests = (ClientCallStreamObserver<StepRequest>) stub.stepStream(open);
    }
    OpenStream stream = open;
    Object reply;
    try {
      stream.requests.onNext(request);
      reply = stream.replies.poll(stepDeadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon("interrupted");
      throw new EnvException(Status.Code.CANCELLED, "Step interrupted while waiting", e);
    } catch (RuntimeException e) {
      abandon("failed to send: " + e.getMessage());
      throw e;
    }
    if (reply == null) {
      abandon("no response within " + stepDeadline);
      throw new EnvDeadlineExceededException(
          "Step failed with DEADLINE_EXCEEDED: no response on the step stream within "
              + stepDeadline,
          null);
    }
    if (reply instanceof StatusRuntimeException error) {
      open = null; // the server ended this stream; the next step opens a new one
      throw statusMapper.map("Step", error);
    }
    return (StepResponse) reply;
  }

  private void abandon(String why) {
    OpenStream stream = open;
    open = null;
    if (stream != null) {
      stream.requests.cancel(why, null);
    }
  }

  /**
   * Cancels the open stream, from any thread: for the client's own close, so that a stream left
   * open does not hold the channel's shutdown up. A step waiting on it fails with CANCELLED.
   */
  void cancel() {
    OpenStream stream = open;
    if (stream != null) {
      stream.requests.cancel("the client is closing", null);
    }
  }

  /** Half-closes the stream; the server then ends it. */
  @Override
  public void close() {
    OpenStream stream = open;
    open = null;
    if (stream != null) {
      stream.requests.onCompleted();
    }
  }

  /** One stream's request side and the queue its responses (or its end) arrive in. */
  private static final class OpenStream implements StreamObserver<StepResponse> {
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private ClientCallStreamObserver<StepRequest> requests;

    @Override
    public void onNext(StepResponse response) {
      replies.add(response);
    }

    @Override
    public void onError(Throwable error) {
      replies.add(
          error instanceof StatusRuntimeException s
              ? s
              : Status.fromThrowable(error).asRuntimeException());
    }

    @Override
    public void onCompleted() {
      // Only ever after our half-close, or a server that ended the stream early: either way a
      // step still waiting gets a clear failure instead of waiting out its deadline.
      replies.add(
          Status.UNAVAILABLE
              .withDescription("the server ended the step stream")
              .asRuntimeException());
    }
  }
}
