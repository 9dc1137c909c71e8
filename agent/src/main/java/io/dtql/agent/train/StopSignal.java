package io.dtql.agent.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a training loop to stop after its current step. Ctrl-C reaches it through a JVM shutdown
 * hook: the hook raises the flag and then holds the JVM open until the loop has written its final
 * checkpoint (or a grace period ends), because the JVM halts as soon as every hook returns.
 */
public final class StopSignal {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  public void request() {
    requested.set(true);
  }

  public boolean isRequested() {
    return requested.get();
  }

  /** Called by the loop's owner once the loop has stopped and saved; releases a waiting hook. */
  public void markFinished() {
    finished.countDown();
  }

  /**
   * Installs a shutdown hook that requests a stop and waits up to {@code grace} for {@link
   * #markFinished()}. Closing the returned handle marks the work finished and removes the hook.
   */
  public Installed installShutdownHook(Duration grace) {
    Thread hook = new Thread(onSignal(grace), "dtql-train-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return new Installed(hook);
  }

  /** What the shutdown hook does: request a stop, then wait for the loop to save and finish. */
  Runnable onSignal(Duration grace) {
    return () -> {
      LOG.warn("stop requested (signal); finishing the current step and saving a checkpoint");
      request();
      try {
        if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.error("training did not stop within {}; exiting without a final checkpoint", grace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** A hook installed by {@link #installShutdownHook}; close it when training is over. */
  public final class Installed implements AutoCloseable {
    private final Thread hook;

    private Installed(Thread hook) {
      this.hook = hook;
    }

    @Override
    public void close() {
      markFinished();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already running the hook; it is released by markFinished above.
      }
    }
  }
}
