package io.dtql.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of a child JVM for {@link SameSeedSameRunTest}: runs {@code dtql train} with the
 * given arguments. With {@code --churn} first, a background thread keeps the garbage collector and
 * the native allocator busy (collecting direct buffers and reusing their memory) for the whole run,
 * so any result that depends on when the JVM frees native memory differs from a quiet run.
 */
public final class TrainingChildProcess {
  private TrainingChildProcess() {}

  public static void main(String[] args) {
    List<String> trainArgs = new ArrayList<>(List.of(args));
    if (!trainArgs.isEmpty() && trainArgs.get(0).equals("--churn")) {
      trainArgs.remove(0);
      Thread churn = new Thread(TrainingChildProcess::churnForever, "gc-churn");
      churn.setDaemon(true);
      churn.start();
    }
    System.exit(TrainCommand.run(trainArgs.toArray(String[]::new)));
  }

  private static void churnForever() {
    List<ByteBuffer> held = new ArrayList<>();
    while (true) {
      for (int i = 0; i < 2_000; i++) {
        held.add(ByteBuffer.allocateDirect(4).putFloat(0, 1e6f));
      }
      held.clear();
      System.gc();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
