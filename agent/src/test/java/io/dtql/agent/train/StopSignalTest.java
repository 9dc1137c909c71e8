package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalTest {
  @Test
  void signalRequestsAStopAndHoldsTheJvmUntilTheLoopHasFinished() throws InterruptedException {
    StopSignal stop = new StopSignal();
    Thread hook = new Thread(stop.onSignal(Duration.ofSeconds(30)));
    hook.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!stop.isRequested() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(stop.isRequested());
    hook.join(200);
    assertTrue(hook.isAlive(), "the hook must wait for the final checkpoint");
    stop.markFinished();
    hook.join(5_000);
    assertFalse(hook.isAlive());
  }

  @Test
  void hookGivesUpAfterTheGracePeriod() throws InterruptedException {
    StopSignal stop = new StopSignal();
    Thread hook = new Thread(stop.onSignal(Duration.ofMillis(50)));
    hook.start();
    hook.join(5_000);
    assertFalse(hook.isAlive());
    assertTrue(stop.isRequested());
  }

  @Test
  void closingTheInstalledHookUnregistersIt() {
    StopSignal stop = new StopSignal();
    StopSignal.Installed installed = stop.installShutdownHook(Duration.ofSeconds(1));
    installed.close();
    assertFalse(stop.isRequested());
  }
}
