package io.dtql.agent.checkpoint;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue a training run exactly: the run's configuration and problem shape,
 * the agent's full state, the state of the loop's batch-sampling generator and the wall-clock time
 * spent training so far. Stored as one self-checking file (see {@link CheckpointCodec} for the
 * layout).
 *
 * @param config the run's configuration
 * @param shape the problem shape the agent was built for
 * @param agentState networks, optimiser moments, step and counters
 * @param samplerState the batch sampler's generator state
 * @param trainingSeconds wall-clock seconds spent training up to this step, over every process that
 *     worked on the run (so a resumed run's {@code wall_time_s} continues from it)
 */
public record CheckpointFile(
    DtqlConfig config,
    ProblemShape shape,
    AgentState agentState,
    long samplerState,
    double trainingSeconds) {
  public CheckpointFile {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(agentState, "agentState");
    if (!(trainingSeconds >= 0) || !Double.isFinite(trainingSeconds)) {
      throw new IllegalArgumentException(
          "training-seconds must be finite and >= 0, got " + trainingSeconds);
    }
  }

  /** A checkpoint whose training time is not tracked (0 seconds). */
  public CheckpointFile(
      DtqlConfig config, ProblemShape shape, AgentState agentState, long samplerState) {
    this(config, shape, agentState, samplerState, 0.0);
  }

  /** Gradient step the checkpoint was taken at. */
  public long step() {
    return agentState.step();
  }

  /** Writes the file atomically: a reader never sees a partial checkpoint. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, CheckpointCodec.encode(this));
  }

  /** Reads and verifies a checkpoint; damage or a foreign format is refused naming the file. */
  public static CheckpointFile read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "file does not exist");
    }
    return CheckpointCodec.decode(bytes, file);
  }

  /**
   * Refuses to resume from this checkpoint (read from {@code source}) into a run whose
   * configuration or shape differs; the message lists every differing field.
   */
  public void requireCompatible(Path source, DtqlConfig expectedConfig, ProblemShape expectedShape)
      throws CheckpointException {
    List<String> differences = new ArrayList<>();
    Map<String, Object> saved = ConfigFields.values(config);
    ConfigFields.values(expectedConfig)
        .forEach(
            (name, wanted) -> {
              if (!Objects.equals(saved.get(name), wanted)) {
                differences.add(
                    name
                        + " is "
                        + saved.get(name)
                        + " in the checkpoint, "
                        + wanted
                        + " requested");
              }
            });
    if (!shape.equals(expectedShape)) {
      differences.add(
          "problem shape is " + shape + " in the checkpoint, " + expectedShape + " requested");
    }
    if (!differences.isEmpty()) {
      throw new CheckpointException(
          source, "belongs to a different run: " + String.join("; ", differences));
    }
  }
}
