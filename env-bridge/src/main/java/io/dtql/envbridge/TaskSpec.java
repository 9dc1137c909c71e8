package io.dtql.envbridge;

import java.util.Map;
import java.util.Objects;

/** Everything a client needs to know about one task a server hosts. */
public record TaskSpec(
    String taskId,
    String envId,
    String description,
    BoxSpec observation,
    BoxSpec action,
    int maxEpisodeSteps,
    double controlTimestep,
    String simulator,
    String simulatorVersion,
    String modelSha256,
    Map<String, String> metadata) {

  public TaskSpec {
    if (taskId == null || taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank, got '" + taskId + "'");
    }
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(action, "action");
    if (maxEpisodeSteps < 0) {
      throw new IllegalArgumentException("maxEpisodeSteps must be >= 0, got " + maxEpisodeSteps);
    }
    if (!(controlTimestep >= 0) || Double.isInfinite(controlTimestep)) {
      throw new IllegalArgumentException(
          "controlTimestep must be finite and >= 0, got " + controlTimestep);
    }
    envId = Objects.requireNonNullElse(envId, "");
    description = Objects.requireNonNullElse(description, "");
    simulator = Objects.requireNonNullElse(simulator, "");
    simulatorVersion = Objects.requireNonNullElse(simulatorVersion, "");
    modelSha256 = Objects.requireNonNullElse(modelSha256, "");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** Flat size of one observation. */
  public int obsDim() {
    return observation.flatSize();
  }

  /** Flat size of one action. */
  public int actDim() {
    return action.flatSize();
  }
}
