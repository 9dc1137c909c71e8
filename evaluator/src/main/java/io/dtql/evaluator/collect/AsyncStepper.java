package io.dtql.evaluator.collect;

import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends Step calls from a background thread, one at a time, so the caller can compute the next
 * actions of some envs while a server steps others. (The caller keeps each session to one call in
 * flight, so the session sees the same sequence of calls as from a single thread.) Closing waits
 * for the call in flight (its result is dropped), so a session is never closed under a running
 * call.
 */
final class AsyncStepper implements AutoCloseable {
  private final VectorEnv env;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "collect-step");
            t.setDaemon(true);
            return t;
          });
  private Future<StepResult> inFlight;

  AsyncStepper(VectorEnv env) {
    this.env = env;
  }

  /** Starts stepping {@code envIds} with {@code actions}; the previous call must be awaited. */
  void submit(int[] envIds, float[] actions) {
    if (inFlight != null) {
      throw new IllegalStateException("a step is already in flight");
    }
    inFlight = thread.submit(() -> env.step(envIds, actions));
  }

  /** The result of the call in flight, or its exception as thrown by the env. */
  StepResult await() {
    if (inFlight == null) {
      throw new IllegalStateException("no step in flight");
    }
    Future<StepResult> call = inFlight;
    inFlight = null;
    try {
      return call.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("step failed: " + cause, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a step", e);
    }
  }

  @Override
  public void close() {
    if (inFlight != null) {
      try {
        inFlight.get();
      } catch (ExecutionException e) {
        // Dropped: the collection already ended (or failed for a reason reported elsewhere).
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight = null;
    }
    thread.shutdownNow();
  }
}
