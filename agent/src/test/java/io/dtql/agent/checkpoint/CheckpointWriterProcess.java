package io.dtql.agent.checkpoint;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.TensorData;
import java.nio.file.Path;
import java.util.Map;

/**
 * Not a test: a child process for {@link KilledWriterTest} that saves large checkpoints into a run
 * directory as fast as it can until it is killed.
 */
public final class CheckpointWriterProcess {
  private CheckpointWriterProcess() {}

  public static void main(String[] args) throws Exception {
    CheckpointStore store = CheckpointStore.inRun(Path.of(args[0]));
    CheckpointFile template = CheckpointFileTest.sample(0);
    float[] big = new float[4_000_000]; // 16 MB: long enough to be killed mid-write
    for (long step = 1; ; step++) {
      big[(int) (step % big.length)] = step;
      AgentState state =
          new AgentState(
              step, Map.of("big", new TensorData(new long[] {big.length}, big)), Map.of());
      store.save(new CheckpointFile(template.config(), template.shape(), state, step));
    }
  }
}
